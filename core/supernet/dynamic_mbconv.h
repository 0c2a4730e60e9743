#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/space/block_layout.h"
#include "core/supernet/dynamic_batch_norm.h"
#include "core/supernet/dynamic_conv2d.h"
#include "core/supernet/dynamic_se.h"

namespace sn {

// Inverted-residual block with elastic kernel and expand ratio:
// [1x1 expand + BN + act] -> depthwise kxk + BN + act -> [SE] -> 1x1 project + BN [+ x].
class DynamicMBConvImpl : public torch::nn::Module {
 public:
  explicit DynamicMBConvImpl(const MBConvSpec& spec);
  torch::Tensor forward(const torch::Tensor& x, int kernel, int expand);

  const MBConvSpec& spec() const { return spec_; }

  // Adds a keep-mask over the hidden channels (all ones): channel shrinking sets entries
  // to zero for channels it removes. Saved with the weights.
  void enableChannelMask();
  // Hidden channels at the block's largest expand.
  int64_t maxMiddle() const { return spec_.middle(spec_.expandMax); }

  DynamicConv2d expandConv{nullptr};
  DynamicBatchNorm2d expandBn{nullptr};
  DynamicConv2d depthConv{nullptr};
  DynamicBatchNorm2d depthBn{nullptr};
  DynamicSE se{nullptr};
  DynamicConv2d projectConv{nullptr};
  DynamicBatchNorm2d projectBn{nullptr};
  torch::Tensor channelMask;  // [maxMiddle] float, undefined until enableChannelMask()

 private:
  MBConvSpec spec_;
};
TORCH_MODULE(DynamicMBConv);

}  // namespace sn
