#include "kernels/kernel_dispatch.h"

#include <atomic>

namespace sn::kernels {
namespace {

std::atomic<KernelPath> gPath{KernelPath::Auto};

}  // namespace

void setKernelPath(KernelPath path) { gPath.store(path); }
KernelPath kernelPath() { return gPath.load(); }

bool cudaKernelsBuilt() {
#ifdef SUPERNET_WITH_CUDA
  return true;
#else
  return false;
#endif
}

bool useFused(const at::Tensor& t) {
  switch (kernelPath()) {
    case KernelPath::Reference:
      return false;
    case KernelPath::Fused:
      return t.is_cpu() || cudaKernelsBuilt();
    case KernelPath::Auto:
      break;
  }
  return t.is_cuda() && cudaKernelsBuilt();
}

}  // namespace sn::kernels
