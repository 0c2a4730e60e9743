#pragma once
#include <ATen/core/Tensor.h>

#include <memory>

namespace sn::kernels {

// Reads a small device tensor (a log interval's averaged metrics) back to the host without
// stalling the GPU's queue: start() enqueues a copy into pinned memory and an event behind
// the work already queued, and returns at once; take() waits for that event only. A
// training loop takes interval k's values when it starts interval k+1's copy, by which time
// the copy has long finished. CPU tensors (and a build without the CUDA glue) copy at once.
class AsyncHostCopy {
 public:
  AsyncHostCopy();
  ~AsyncHostCopy();
  AsyncHostCopy(const AsyncHostCopy&) = delete;
  AsyncHostCopy& operator=(const AsyncHostCopy&) = delete;

  void start(const at::Tensor& values);
  bool pending() const { return pending_; }
  // The values of the last start(), on the CPU; waits for the copy if it is still running.
  at::Tensor take();

 private:
  struct Event;
  std::unique_ptr<Event> event_;
  at::Tensor host_;
  bool pending_ = false;
};

}  // namespace sn::kernels
