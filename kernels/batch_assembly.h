#pragma once
#include <ATen/core/Tensor.h>

namespace sn::kernels {

// One batch's augmentation choices, drawn by the caller (so every path sees the same ones):
// crop offsets in [0, 2 * padding] (int64 [N]) and mirror flags (bool [N]); an undefined
// tensor means no crop / no flip.
struct AugmentDraws {
  int64_t padding = 0;
  at::Tensor dy, dx;
  at::Tensor flip;
};

// The float training batch [N, C, H, W] from a uint8 dataset [S, C, H, W] on the same device:
// gather `indices`, normalise ((p / 255 - mean) / stddev, per channel [C]), crop, mirror.
// Dispatches between the two implementations below (same signature).
at::Tensor assembleBatch(const at::Tensor& images, const at::Tensor& indices,
                         const at::Tensor& mean, const at::Tensor& stddev,
                         const AugmentDraws& draws);

// ATen reference: index_select, normalise, pad and two gathers, where/flip (~12 launches).
at::Tensor assembleBatchReference(const at::Tensor& images, const at::Tensor& indices,
                                  const at::Tensor& mean, const at::Tensor& stddev,
                                  const AugmentDraws& draws);

// One pass, each output pixel read once from the uint8 data: the CUDA kernel on CUDA
// tensors, the same per-element code (BatchGeometry::pixel) in a host loop on CPU.
at::Tensor assembleBatchFused(const at::Tensor& images, const at::Tensor& indices,
                              const at::Tensor& mean, const at::Tensor& stddev,
                              const AugmentDraws& draws);

// The reference's augmentation half, on an already normalised float batch.
at::Tensor applyAugmentDraws(const at::Tensor& images, const AugmentDraws& draws);

}  // namespace sn::kernels
