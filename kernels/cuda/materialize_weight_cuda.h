#pragma once
// Launchers of the fused weight materialisation (kernels/cuda/materialize_weight.cu). No
// CUDA or torch headers: the stream is a cudaStream_t passed as void*. fp32 master weights.
#include "kernels/weight_slice.h"

namespace sn::kernels::cuda {

// out[i] = weight[slice(i)] * mask[slice(i)] (mask may be null) for every active element.
void materializeForward(const float* weight, const float* mask, float* out, WeightSlice slice,
                        void* stream);
// Writes the whole stored-size gradient in one pass: the active gradient scattered back
// (times the mask unless `straightThrough`), zero outside the slice.
void materializeBackward(const float* grad, const float* mask, bool straightThrough,
                         float* gradWeight, WeightSlice slice, void* stream);

}  // namespace sn::kernels::cuda
