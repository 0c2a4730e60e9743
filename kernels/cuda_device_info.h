#pragma once
// Built only with a CUDA LibTorch (SUPERNET_WITH_CUDA).
#include <string>

namespace sn::kernels {

// "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)": what latency and throughput numbers were
// measured on, so tables from two GPUs are never mixed up.
std::string cudaDeviceName(int index);

}  // namespace sn::kernels
