#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "core/supernet/dynamic_batch_norm.h"
#include "core/supernet/dynamic_conv2d.h"
#include "core/supernet/dynamic_mbconv.h"

namespace sn {

// The weight-sharing network of a search space. setActive() picks the subnet that
// forward() runs: elastic depth (first d blocks of each stage), kernel (centre slice) and
// expand (first channels).
class SupernetImpl : public torch::nn::Module {
 public:
  SupernetImpl(const SearchSpace& space, const NetShape& shape);

  void setActive(const Arch& arch);
  const Arch& active() const { return active_; }
  torch::Tensor forward(const torch::Tensor& x);

  // Between these calls, BN layers in training mode accumulate exact statistics of the
  // batches forwarded (for the active subnet), replacing the shared running statistics.
  void beginBnRecalibration();
  void endBnRecalibration();

  // Adds a pruning mask (all ones) to every prunable conv: the block convs, not the stem,
  // SE, head or classifier.
  void enableMasks();

  const SearchSpace& space() const { return space_; }
  const NetShape& shape() const { return shape_; }
  // NHWC activations (the default) or NCHW: a speed switch, the results are the same.
  void setChannelsLast(bool on) { channelsLast_ = on; }
  bool channelsLast() const { return channelsLast_; }

  DynamicConv2d stemConv{nullptr};
  DynamicBatchNorm2d stemBn{nullptr};
  DynamicMBConv firstBlock{nullptr};
  std::vector<std::vector<DynamicMBConv>> blocks;  // [stage][block], max depth each
  DynamicConv2d finalExpandConv{nullptr};
  DynamicBatchNorm2d finalExpandBn{nullptr};
  DynamicConv2d featureConv{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};

 private:
  bool channelsLast_ = true;
  SearchSpace space_;
  NetShape shape_;
  Arch active_;
};
TORCH_MODULE(Supernet);

}  // namespace sn
