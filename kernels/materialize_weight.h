#pragma once
#include <ATen/core/Tensor.h>

namespace sn::kernels {

// The weight a dynamic conv uses for one subnet: the first outChannels x inChannels of the
// shared [O, I, K, K] weight, the centre kernel x kernel window, times the pruning mask of
// the same slice when `mask` is defined. Differentiable: gradients flow back into the shared
// weight's slice (masked positions get none). CPU reference; a fused CUDA kernel with the
// same signature may replace it on GPU.
at::Tensor materializeWeight(const at::Tensor& weight, const at::Tensor& mask,
                             int64_t outChannels, int64_t inChannels, int64_t kernel);

}  // namespace sn::kernels
