#pragma once
#include <ATen/core/Tensor.h>

namespace sn::kernels {

// How the gradient reaches masked weights. Masked: not at all. StraightThrough: as if
// unmasked (SuperTickets' regrowth: a pruned weight keeps learning and may come back).
enum class MaskGradient { Masked, StraightThrough };

// The weight a dynamic conv uses for one subnet: the first outChannels x inChannels of the
// shared [O, I, K, K] weight, the centre kernel x kernel window, times the pruning mask of
// the same slice when `mask` is defined. Differentiable into the shared weight's slice.
// Dispatches (kernel_dispatch.h) between the two implementations below, same signature.
at::Tensor materializeWeight(const at::Tensor& weight, const at::Tensor& mask,
                             int64_t outChannels, int64_t inChannels, int64_t kernel,
                             MaskGradient gradient = MaskGradient::Masked);

// ATen reference: narrow views, a multiply, autograd's own backward.
at::Tensor materializeWeightReference(const at::Tensor& weight, const at::Tensor& mask,
                                      int64_t outChannels, int64_t inChannels, int64_t kernel,
                                      MaskGradient gradient = MaskGradient::Masked);

// One pass forward (slice + mask) and one pass backward (scatter, mask, zero elsewhere):
// the CUDA kernel on CUDA tensors, the same per-element code in a host loop on CPU. fp32.
at::Tensor materializeWeightFused(const at::Tensor& weight, const at::Tensor& mask,
                                  int64_t outChannels, int64_t inChannels, int64_t kernel,
                                  MaskGradient gradient = MaskGradient::Masked);

}  // namespace sn::kernels
