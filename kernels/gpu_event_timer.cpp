#include "kernels/gpu_event_timer.h"

#include <stdexcept>

#ifdef SUPERNET_WITH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace sn::kernels {

#ifdef SUPERNET_WITH_CUDA
struct GpuEventTimer::Events {
  at::cuda::CUDAEvent begin{cudaEventDefault};
  at::cuda::CUDAEvent end{cudaEventDefault};
};

GpuEventTimer::GpuEventTimer(const c10::Device& device)
    : events_(std::make_unique<Events>()), device_(device) {
  if (!device.is_cuda()) throw std::invalid_argument("GpuEventTimer: not a CUDA device");
}

void GpuEventTimer::start() { events_->begin.record(c10::cuda::getCurrentCUDAStream(device_.index())); }

double GpuEventTimer::stopMs() {
  events_->end.record(c10::cuda::getCurrentCUDAStream(device_.index()));
  events_->end.synchronize();
  return events_->begin.elapsed_time(events_->end);
}
#else
struct GpuEventTimer::Events {};

GpuEventTimer::GpuEventTimer(const c10::Device& device) : device_(device) {
  throw std::runtime_error("GPU event timing needs a build with CUDA (SUPERNET_CUDA=ON and a "
                           "CUDA LibTorch)");
}

void GpuEventTimer::start() {}
double GpuEventTimer::stopMs() { return 0.0; }
#endif

GpuEventTimer::~GpuEventTimer() = default;

}  // namespace sn::kernels
