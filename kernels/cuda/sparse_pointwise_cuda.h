#pragma once
// Launcher of the CSR pointwise kernel (kernels/cuda/sparse_pointwise.cu); no CUDA or torch
// headers, the stream is a cudaStream_t passed as void*.
#include <cstdint>

namespace sn::kernels::cuda {

// x [batch, cols, pixels] -> out [batch, rows, pixels], CSR weight [rows, cols].
void sparsePointwise(const int32_t* rowPtr, const int32_t* colIndex, const float* values,
                     const float* x, float* out, int64_t batch, int64_t rows, int64_t cols,
                     int64_t pixels, void* stream);

}  // namespace sn::kernels::cuda
