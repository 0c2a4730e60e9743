#include "kernels/cuda_stream.h"

#include <c10/cuda/CUDAStream.h>

namespace sn::kernels {

void* currentCudaStream(const at::Tensor& onDevice) {
  return c10::cuda::getCurrentCUDAStream(onDevice.device().index()).stream();
}

}  // namespace sn::kernels
