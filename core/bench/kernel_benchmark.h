#pragma once
#include <c10/core/Device.h>

#include <string>
#include <vector>

namespace sn {

// One timed comparison of `supernet-cli bench-kernels`: a kernel against the path it
// replaces (the ATen reference, or the dense conv for the sparse kernel) at one size.
struct KernelTiming {
  std::string kernel;
  std::string size;        // the shapes and sparsity, in words
  double baselineMs = 0;   // median per call
  double kernelMs = 0;
  double speedup() const { return baselineMs / kernelMs; }
};

// Medians over `runs` calls after warm-up, on the device (CUDA: fused CUDA kernels against
// ATen's CUDA path; CPU: the fused host loops against ATen's CPU path).
std::vector<KernelTiming> runKernelBenchmark(const c10::Device& device, int runs);

}  // namespace sn
