#include "kernels/cuda/batch_assembly_cuda.h"
#include "kernels/cuda/cuda_check.h"

namespace sn::kernels::cuda {
namespace {

constexpr unsigned kThreads = 256;

__global__ void assembleKernel(BatchGeometry g, float* __restrict__ out) {
  const int64_t n = g.elements();
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{blockDim.x} * gridDim.x) {
    out[i] = g.pixel(i);
  }
}

}  // namespace

void assembleBatch(const BatchGeometry& geometry, float* out, void* stream) {
  const int64_t n = geometry.elements();
  if (n == 0) return;
  assembleKernel<<<blocksFor(n, kThreads), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      geometry, out);
  check(cudaGetLastError(), "assembleBatch");
}

}  // namespace sn::kernels::cuda
