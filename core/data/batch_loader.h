#pragma once
#include <ATen/core/Tensor.h>
#include <cstdint>

#include "core/data/augment_spec.h"
#include "core/data/dataset.h"
#include "kernels/batch_assembly.h"

namespace sn {

struct Batch {
  at::Tensor images;  // float, normalised, on the dataset's device
  at::Tensor labels;
};

// Gathers batches from a device-resident dataset: index, convert, normalise with the
// training split's per-channel statistics, augment on the same device (no host round trip).
class BatchLoader {
 public:
  BatchLoader(Dataset data, at::Tensor mean, at::Tensor stddev);

  Batch get(const at::Tensor& indices, const AugmentSpec& augment) const;
  // Samples [start, start + count) in order, without augmentation (evaluation).
  Batch range(int64_t start, int64_t count) const;
  const Dataset& data() const { return data_; }
  // The normalisation applied: (pixel / 255 - mean) / stddev, per channel ([1, C, 1, 1]).
  const at::Tensor& mean() const { return mean_; }
  const at::Tensor& stddev() const { return stddev_; }

  // Per-channel mean and std (of pixel / 255) over at most `limit` samples.
  static std::pair<at::Tensor, at::Tensor> channelStatistics(const Dataset& data,
                                                             int64_t limit = 10000);
  // The sample order of one epoch: a function of (seed, epoch) alone, so a resumed run
  // visits the same samples as an uninterrupted one.
  static at::Tensor epochOrder(int64_t samples, uint64_t seed, int64_t epoch);

 private:
  Dataset data_;
  at::Tensor mean_;    // [1, C, 1, 1] on the data's device
  at::Tensor stddev_;
};

// One batch's crop offsets and flips, drawn from the global generator on `device` (the
// draws, their order and so a run's batches are the same whichever kernel assembles them).
kernels::AugmentDraws drawAugmentation(int64_t n, const AugmentSpec& augment,
                                       const c10::Device& device);
// Random crop (zero padding) and flip of a float batch, drawn from the global generator.
at::Tensor augmentBatch(const at::Tensor& images, const AugmentSpec& augment);

}  // namespace sn
