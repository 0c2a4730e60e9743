#include "kernels/cuda_device_info.h"

#include <cuda_runtime_api.h>

#include <cstdio>

namespace sn::kernels {

std::string cudaDeviceName(int index) {
  cudaDeviceProp p{};
  if (cudaGetDeviceProperties(&p, index) != cudaSuccess) return "cuda:" + std::to_string(index);
  char text[320];
  std::snprintf(text, sizeof text, "%s (sm_%d%d, %.1f GiB)", p.name, p.major, p.minor,
                static_cast<double>(p.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0));
  return text;
}

}  // namespace sn::kernels
