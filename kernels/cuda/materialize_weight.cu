#include "kernels/cuda/cuda_check.h"
#include "kernels/cuda/materialize_weight_cuda.h"

namespace sn::kernels::cuda {
namespace {

constexpr unsigned kThreads = 256;

// Grid-stride loops: one launch whatever the layer size.
__global__ void forwardKernel(const float* __restrict__ weight, const float* __restrict__ mask,
                              float* __restrict__ out, WeightSlice s) {
  const int64_t n = s.elements();
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{blockDim.x} * gridDim.x) {
    const int64_t src = s.sourceOffset(i);
    out[i] = mask ? weight[src] * mask[src] : weight[src];
  }
}

__global__ void backwardKernel(const float* __restrict__ grad, const float* __restrict__ mask,
                               bool straightThrough, float* __restrict__ gradWeight,
                               WeightSlice s) {
  const int64_t n = s.outFull * s.inFull * s.kFull * s.kFull;
  for (int64_t j = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; j < n;
       j += int64_t{blockDim.x} * gridDim.x) {
    const int64_t i = s.sliceOffset(j);
    float g = i < 0 ? 0.0f : grad[i];
    if (mask && !straightThrough) g *= mask[j];
    gradWeight[j] = g;
  }
}

}  // namespace

void materializeForward(const float* weight, const float* mask, float* out, WeightSlice slice,
                        void* stream) {
  const int64_t n = slice.elements();
  if (n == 0) return;
  forwardKernel<<<blocksFor(n, kThreads), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      weight, mask, out, slice);
  check(cudaGetLastError(), "materializeForward");
}

void materializeBackward(const float* grad, const float* mask, bool straightThrough,
                         float* gradWeight, WeightSlice slice, void* stream) {
  const int64_t n = slice.outFull * slice.inFull * slice.kFull * slice.kFull;
  if (n == 0) return;
  backwardKernel<<<blocksFor(n, kThreads), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      grad, mask, straightThrough, gradWeight, slice);
  check(cudaGetLastError(), "materializeBackward");
}

}  // namespace sn::kernels::cuda
