#pragma once
#include <ATen/core/Tensor.h>
#include <vector>

namespace sn {

// Scales the gradients of `parameters` in place so their global L2 norm is at most
// `maxNorm`, and returns the norm before scaling as a 0-d tensor on the gradients' device.
// The arithmetic is torch::nn::utils::clip_grad_norm_'s; that one returns the norm as a
// double, which reads it back to the host and so waits for the GPU on every step. The
// trainer never looks at the norm, so this keeps a clipped step free of host round trips.
at::Tensor clipGradNorm(const std::vector<at::Tensor>& parameters, double maxNorm);

}  // namespace sn
