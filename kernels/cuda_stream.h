#pragma once
// Built only with a CUDA LibTorch (SUPERNET_WITH_CUDA): the stream LibTorch is issuing work
// on for the tensor's device, as the void* the kernels/cuda launchers take.
#include <ATen/core/Tensor.h>

namespace sn::kernels {

void* currentCudaStream(const at::Tensor& onDevice);

}  // namespace sn::kernels
