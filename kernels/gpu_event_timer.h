#pragma once
#include <c10/core/Device.h>

#include <memory>

namespace sn::kernels {

// Times GPU work with two CUDA events recorded on the device's current stream: the GPU's
// own clock, so host-side launch gaps before start() do not count and nothing but the
// stop event is waited for. Needs a CUDA build (SUPERNET_WITH_CUDA); elsewhere the
// constructor throws.
class GpuEventTimer {
 public:
  explicit GpuEventTimer(const c10::Device& device);
  ~GpuEventTimer();
  GpuEventTimer(const GpuEventTimer&) = delete;
  GpuEventTimer& operator=(const GpuEventTimer&) = delete;

  void start();
  // Milliseconds since start(); waits for the work queued before it to finish.
  double stopMs();

 private:
  struct Events;
  std::unique_ptr<Events> events_;
  c10::Device device_;
};

}  // namespace sn::kernels
