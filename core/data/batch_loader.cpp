#include "core/data/batch_loader.h"

#include <torch/torch.h>

#include "kernels/batch_assembly.h"

namespace sn {

BatchLoader::BatchLoader(Dataset data, at::Tensor mean, at::Tensor stddev)
    : data_(std::move(data)),
      mean_(mean.view({1, -1, 1, 1}).to(data_.images.device())),
      stddev_(stddev.view({1, -1, 1, 1}).to(data_.images.device())) {}

Batch BatchLoader::get(const at::Tensor& indices, const AugmentSpec& augment) const {
  const at::Tensor idx = indices.to(data_.images.device());
  const kernels::AugmentDraws draws = drawAugmentation(idx.size(0), augment, idx.device());
  // One fused pass on the GPU; the ATen reference (same result) on CPU.
  return {kernels::assembleBatch(data_.images, idx, mean_, stddev_, draws),
          data_.labels.index_select(0, idx)};
}

Batch BatchLoader::range(int64_t start, int64_t count) const {
  // The training batches' path with no augmentation drawn: one normalisation, written once.
  const auto options = torch::TensorOptions().dtype(torch::kInt64).device(data_.images.device());
  const at::Tensor idx = at::arange(start, start + count, options);
  return {kernels::assembleBatch(data_.images, idx, mean_, stddev_, {}),
          data_.labels.narrow(0, start, count)};
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

kernels::AugmentDraws drawAugmentation(int64_t n, const AugmentSpec& augment,
                                       const c10::Device& device) {
  kernels::AugmentDraws draws;
  const auto intOpts = torch::TensorOptions().dtype(torch::kInt64).device(device);
  if (augment.cropPadding > 0) {
    draws.padding = augment.cropPadding;
    draws.dy = torch::randint(0, 2 * augment.cropPadding + 1, {n}, intOpts);
    draws.dx = torch::randint(0, 2 * augment.cropPadding + 1, {n}, intOpts);
  }
  if (augment.flip) draws.flip = torch::rand({n}, torch::TensorOptions().device(device)) < 0.5;
  return draws;
}

at::Tensor augmentBatch(const at::Tensor& images, const AugmentSpec& augment) {
  return kernels::applyAugmentDraws(images, drawAugmentation(images.size(0), augment, images.device()));
}

}  // namespace sn
