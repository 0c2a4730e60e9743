#include "kernels/batch_assembly.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include "kernels/batch_geometry.h"
#include "kernels/kernel_dispatch.h"
#ifdef SUPERNET_WITH_CUDA
#include "kernels/cuda/batch_assembly_cuda.h"
#include "kernels/cuda_stream.h"
#endif

namespace sn::kernels {
namespace {

void checkArguments(const at::Tensor& images, const at::Tensor& indices, const at::Tensor& mean) {
  TORCH_CHECK(images.dim() == 4 && images.scalar_type() == at::kByte,
              "assembleBatch: images must be uint8 [S, C, H, W], got ", images.sizes());
  TORCH_CHECK(indices.dim() == 1 && indices.scalar_type() == at::kLong,
              "assembleBatch: indices must be int64 [N]");
  TORCH_CHECK(mean.numel() == images.size(1), "assembleBatch: ", mean.numel(),
              " channel means for ", images.size(1), " channels");
}

template <typename T>
const T* dataOrNull(const at::Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

}  // namespace

at::Tensor applyAugmentDraws(const at::Tensor& images, const AugmentDraws& draws) {
  at::Tensor x = images;
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  if (draws.dy.defined()) {
    const int64_t p = draws.padding;
    const auto intOpts = at::TensorOptions().dtype(at::kLong).device(x.device());
    const at::Tensor padded = at::constant_pad_nd(x, {p, p, p, p}, 0.0);
    // Per-sample offsets; two gathers cut each sample's window without a loop.
    const at::Tensor rows = (draws.dy.view({n, 1}) + at::arange(h, intOpts)).view({n, 1, h, 1});
    const at::Tensor cols = (draws.dx.view({n, 1}) + at::arange(w, intOpts)).view({n, 1, 1, w});
    x = padded.gather(2, rows.expand({n, c, h, w + 2 * p})).gather(3, cols.expand({n, c, h, w}));
  }
  if (draws.flip.defined()) x = at::where(draws.flip.view({n, 1, 1, 1}), x.flip({3}), x);
  return x;
}

at::Tensor assembleBatchReference(const at::Tensor& images, const at::Tensor& indices,
                                  const at::Tensor& mean, const at::Tensor& stddev,
                                  const AugmentDraws& draws) {
  checkArguments(images, indices, mean);
  const at::Tensor x = images.index_select(0, indices)
                           .to(at::kFloat)
                           .div_(255.0)
                           .sub_(mean.view({1, -1, 1, 1}))
                           .div_(stddev.view({1, -1, 1, 1}));
  return applyAugmentDraws(x, draws);
}

at::Tensor assembleBatchFused(const at::Tensor& images, const at::Tensor& indices,
                              const at::Tensor& mean, const at::Tensor& stddev,
                              const AugmentDraws& draws) {
  checkArguments(images, indices, mean);
  const at::Tensor data = images.contiguous(), index = indices.contiguous();
  const at::Tensor m = mean.to(at::kFloat).contiguous(), s = stddev.to(at::kFloat).contiguous();
  const at::Tensor dy = draws.dy.defined() ? draws.dy.contiguous() : at::Tensor();
  const at::Tensor dx = draws.dx.defined() ? draws.dx.contiguous() : at::Tensor();
  const at::Tensor flip = draws.flip.defined() ? draws.flip.contiguous() : at::Tensor();
  const BatchGeometry g{index.size(0), data.size(1), data.size(2), data.size(3), draws.padding,
                        data.data_ptr<uint8_t>(), index.data_ptr<int64_t>(),
                        dataOrNull<int64_t>(dy), dataOrNull<int64_t>(dx), dataOrNull<bool>(flip),
                        m.data_ptr<float>(), s.data_ptr<float>()};
  at::Tensor out = at::empty({g.batch, g.channels, g.height, g.width},
                             images.options().dtype(at::kFloat));
  float* o = out.data_ptr<float>();
#ifdef SUPERNET_WITH_CUDA
  if (images.is_cuda()) {
    cuda::assembleBatch(g, o, currentCudaStream(images));
    return out;
  }
#endif
  at::parallel_for(0, g.elements(), 4096, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) o[i] = g.pixel(i);
  });
  return out;
}

at::Tensor assembleBatch(const at::Tensor& images, const at::Tensor& indices,
                         const at::Tensor& mean, const at::Tensor& stddev,
                         const AugmentDraws& draws) {
  if (useFused(images) && !images.is_contiguous()) {
    // A strided dataset (a memory-mapped NHWC image cache): the fused loop would copy all of
    // it to make it contiguous, so only the batch's samples are gathered into one block.
    const at::Tensor batch = images.index_select(0, indices).contiguous();
    return assembleBatchFused(batch, at::arange(batch.size(0), indices.options()), mean, stddev,
                              draws);
  }
  if (useFused(images)) return assembleBatchFused(images, indices, mean, stddev, draws);
  return assembleBatchReference(images, indices, mean, stddev, draws);
}

}  // namespace sn::kernels
