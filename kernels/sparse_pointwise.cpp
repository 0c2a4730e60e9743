#include "kernels/sparse_pointwise.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include "kernels/kernel_dispatch.h"
#ifdef SUPERNET_WITH_CUDA
#include "kernels/cuda/sparse_pointwise_cuda.h"
#include "kernels/cuda_stream.h"
#endif

namespace sn::kernels {
namespace {

at::Tensor checkedInput(const CsrWeight& weight, const at::Tensor& x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == weight.cols, "sparsePointwise: input ", x.sizes(),
              " does not have the weight's ", weight.cols, " input channels");
  TORCH_CHECK(x.scalar_type() == at::kFloat, "sparsePointwise: fp32 input only");
  TORCH_CHECK(x.device() == weight.values.device(), "sparsePointwise: input on ", x.device(),
              ", weight on ", weight.values.device());
  return x.contiguous();
}

}  // namespace

at::Tensor sparsePointwiseReference(const CsrWeight& weight, const at::Tensor& input) {
  const at::Tensor x = checkedInput(weight, input).cpu();
  const int64_t batch = x.size(0), pixels = x.size(2) * x.size(3), cols = weight.cols;
  at::Tensor out = at::zeros({batch, weight.rows, x.size(2), x.size(3)}, x.options());
  const at::Tensor ptr = weight.rowPtr.cpu(), colIdx = weight.colIndex.cpu(), val = weight.values.cpu();
  const int32_t* rowPtr = ptr.data_ptr<int32_t>();
  const int32_t* colIndex = colIdx.data_ptr<int32_t>();
  const float* values = val.data_ptr<float>();
  const float* xp = x.data_ptr<float>();
  float* op = out.data_ptr<float>();
  // One (image, output channel) row at a time: an axpy over the pixels per kept weight.
  at::parallel_for(0, batch * weight.rows, 1, [&](int64_t begin, int64_t end) {
    for (int64_t nr = begin; nr < end; ++nr) {
      const int64_t n = nr / weight.rows, row = nr % weight.rows;
      float* dst = op + nr * pixels;
      for (int32_t k = rowPtr[row]; k < rowPtr[row + 1]; ++k) {
        const float v = values[k];
        const float* src = xp + (n * cols + colIndex[k]) * pixels;
        for (int64_t p = 0; p < pixels; ++p) dst[p] += v * src[p];
      }
    }
  });
  return out.to(input.device());
}

at::Tensor sparsePointwise(const CsrWeight& weight, const at::Tensor& input) {
#ifdef SUPERNET_WITH_CUDA
  if (input.is_cuda() && kernelPath() != KernelPath::Reference) {
    const at::Tensor x = checkedInput(weight, input);
    at::Tensor out = at::empty({x.size(0), weight.rows, x.size(2), x.size(3)}, x.options());
    cuda::sparsePointwise(weight.rowPtr.data_ptr<int32_t>(), weight.colIndex.data_ptr<int32_t>(),
                          weight.values.data_ptr<float>(), x.data_ptr<float>(),
                          out.data_ptr<float>(), x.size(0), weight.rows, weight.cols,
                          x.size(2) * x.size(3), currentCudaStream(x));
    return out;
  }
#endif
  return sparsePointwiseReference(weight, input);
}

}  // namespace sn::kernels
