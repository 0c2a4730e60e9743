#pragma once
// Included by .cu files only: turns a failed launch or CUDA call into an exception that the
// CLI reports (exit 1) instead of a silent wrong result.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace sn::kernels::cuda {

inline void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

inline unsigned blocksFor(long long elements, unsigned threads) {
  const long long blocks = (elements + threads - 1) / threads;
  return static_cast<unsigned>(blocks < 65535LL * 32 ? blocks : 65535LL * 32);
}

}  // namespace sn::kernels::cuda
