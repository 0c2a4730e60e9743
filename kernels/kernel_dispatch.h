#pragma once
#include <ATen/core/Tensor.h>

namespace sn::kernels {

// Which implementation an op in kernels/ runs. Auto: the fused CUDA kernel for CUDA tensors
// when this build has the CUDA kernels, the ATen reference otherwise (CPU training stays on
// the reference, whose results earlier runs were recorded with). Reference / Fused force a
// path on every device; the fused path on CPU runs the CUDA kernel's per-element code in a
// host loop, which is how the CPU tests and `selftest` check that code without a GPU.
enum class KernelPath { Auto, Reference, Fused };

void setKernelPath(KernelPath path);
KernelPath kernelPath();
// True when the build compiled kernels/cuda/ and linked them (SUPERNET_WITH_CUDA).
bool cudaKernelsBuilt();
// Whether an op on `t` takes the fused path under the current setting.
bool useFused(const at::Tensor& t);

// Restores the previous path when it goes out of scope.
class ScopedKernelPath {
 public:
  explicit ScopedKernelPath(KernelPath path) : previous_(kernelPath()) { setKernelPath(path); }
  ~ScopedKernelPath() { setKernelPath(previous_); }
  ScopedKernelPath(const ScopedKernelPath&) = delete;
  ScopedKernelPath& operator=(const ScopedKernelPath&) = delete;

 private:
  KernelPath previous_;
};

}  // namespace sn::kernels
