#include "core/data/batch_loader.h"

#include <torch/torch.h>

namespace sn {

BatchLoader::BatchLoader(Dataset data, at::Tensor mean, at::Tensor stddev)
    : data_(std::move(data)),
      mean_(mean.view({1, -1, 1, 1}).to(data_.images.device())),
      stddev_(stddev.view({1, -1, 1, 1}).to(data_.images.device())) {}

Batch BatchLoader::normalise(const at::Tensor& images, const at::Tensor& labels) const {
  at::Tensor x = images.to(torch::kFloat32).div_(255.0).sub_(mean_).div_(stddev_);
  return {x, labels};
}

Batch BatchLoader::get(const at::Tensor& indices, const AugmentSpec& augment) const {
  const at::Tensor idx = indices.to(data_.images.device());
  Batch b = normalise(data_.images.index_select(0, idx), data_.labels.index_select(0, idx));
  b.images = augmentBatch(b.images, augment);
  return b;
}

Batch BatchLoader::range(int64_t start, int64_t count) const {
  return normalise(data_.images.narrow(0, start, count), data_.labels.narrow(0, start, count));
}

std::pair<at::Tensor, at::Tensor> BatchLoader::channelStatistics(const Dataset& data,
                                                                  int64_t limit) {
  const at::Tensor x =
      data.head(limit).images.to(torch::kCPU).to(torch::kFloat32).div(255.0).transpose(0, 1);
  const at::Tensor flat = x.reshape({x.size(0), -1});
  return {flat.mean(1), flat.std(1).clamp_min(1e-3)};
}

at::Tensor BatchLoader::epochOrder(int64_t samples, uint64_t seed, int64_t epoch) {
  auto gen = at::detail::createCPUGenerator(seed * 1000003ULL + static_cast<uint64_t>(epoch));
  return at::randperm(samples, gen, torch::kInt64);
}

at::Tensor augmentBatch(const at::Tensor& images, const AugmentSpec& augment) {
  at::Tensor x = images;
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const auto intOpts = torch::TensorOptions().dtype(torch::kInt64).device(x.device());
  if (augment.cropPadding > 0) {
    const int64_t p = augment.cropPadding;
    const at::Tensor padded = torch::constant_pad_nd(x, {p, p, p, p}, 0.0);
    // Per-sample offsets; two gathers cut each sample's window without a loop.
    const at::Tensor dy = torch::randint(0, 2 * p + 1, {n, 1}, intOpts);
    const at::Tensor dx = torch::randint(0, 2 * p + 1, {n, 1}, intOpts);
    const at::Tensor rows = (dy + torch::arange(h, intOpts)).view({n, 1, h, 1});
    const at::Tensor cols = (dx + torch::arange(w, intOpts)).view({n, 1, 1, w});
    x = padded.gather(2, rows.expand({n, c, h, w + 2 * p})).gather(3, cols.expand({n, c, h, w}));
  }
  if (augment.flip) {
    const at::Tensor flip =
        torch::rand({n, 1, 1, 1}, torch::TensorOptions().device(x.device())) < 0.5;
    x = torch::where(flip, x.flip({3}), x);
  }
  return x;
}

}  // namespace sn
