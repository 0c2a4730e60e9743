#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/sparse_pointwise_cuda.h"

namespace sn::kernels::cuda {
namespace {

constexpr unsigned kThreads = 128;

// One thread per output pixel of one (image, output channel): the threads of a warp read
// consecutive pixels of the same input channel (coalesced), and all read the same CSR entry
// (one broadcast load), so the work is nnz x pixels, not rows x cols x pixels.
__global__ void csrKernel(const int32_t* __restrict__ rowPtr,
                          const int32_t* __restrict__ colIndex,
                          const float* __restrict__ values, const float* __restrict__ x,
                          float* __restrict__ out, int64_t rows, int64_t cols, int64_t pixels) {
  const int64_t p = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  const int64_t row = blockIdx.y;
  const int64_t n = blockIdx.z;
  if (p >= pixels) return;
  const float* xn = x + n * cols * pixels + p;
  float acc = 0.0f;
  for (int32_t k = rowPtr[row]; k < rowPtr[row + 1]; ++k) {
    acc += values[k] * xn[int64_t{colIndex[k]} * pixels];
  }
  out[(n * rows + row) * pixels + p] = acc;
}

}  // namespace

void sparsePointwise(const int32_t* rowPtr, const int32_t* colIndex, const float* values,
                     const float* x, float* out, int64_t batch, int64_t rows, int64_t cols,
                     int64_t pixels, void* stream) {
  if (batch == 0 || rows == 0 || pixels == 0) return;
  const dim3 grid(static_cast<unsigned>((pixels + kThreads - 1) / kThreads),
                  static_cast<unsigned>(rows), static_cast<unsigned>(batch));
  csrKernel<<<grid, kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      rowPtr, colIndex, values, x, out, rows, cols, pixels);
  check(cudaGetLastError(), "sparsePointwise");
}

}  // namespace sn::kernels::cuda
