#include "kernels/async_host_copy.h"

#include <ATen/ATen.h>

#ifdef SUPERNET_WITH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace sn::kernels {

#ifdef SUPERNET_WITH_CUDA
struct AsyncHostCopy::Event {
  at::cuda::CUDAEvent done;
  bool recorded = false;
};
#else
struct AsyncHostCopy::Event {};
#endif

AsyncHostCopy::AsyncHostCopy() : event_(std::make_unique<Event>()) {}
AsyncHostCopy::~AsyncHostCopy() = default;

void AsyncHostCopy::start(const at::Tensor& values) {
  pending_ = true;
#ifdef SUPERNET_WITH_CUDA
  if (values.is_cuda()) {
    // Pinned memory: a non-blocking copy from pageable memory would wait anyway.
    host_ = at::empty(values.sizes(), values.options().device(at::kCPU).pinned_memory(true));
    host_.copy_(values, /*non_blocking=*/true);
    event_->done.record(c10::cuda::getCurrentCUDAStream(values.device().index()));
    event_->recorded = true;
    return;
  }
#endif
  host_ = values.to(at::kCPU);
}

at::Tensor AsyncHostCopy::take() {
#ifdef SUPERNET_WITH_CUDA
  if (event_->recorded) {
    event_->done.synchronize();
    event_->recorded = false;
  }
#endif
  pending_ = false;
  return host_;
}

}  // namespace sn::kernels
