#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/space/search_space.h"
#include "core/supernet/dynamic_batch_norm.h"
#include "core/supernet/dynamic_conv2d.h"
#include "core/supernet/dynamic_se.h"

namespace sn {

struct MBConvSpec {
  int in = 0;
  int out = 0;
  int stride = 1;
  int kernelMax = 3;
  int expandMax = 1;
  bool expandConv = true;  // false: expand fixed at 1, no 1x1 expansion (OFA's first block)
  Activation act = Activation::ReLU;
  bool se = false;
  bool residual() const { return stride == 1 && in == out; }
  int middle(int expand) const;
};

// Inverted-residual block with elastic kernel and expand ratio:
// [1x1 expand + BN + act] -> depthwise kxk + BN + act -> [SE] -> 1x1 project + BN [+ x].
class DynamicMBConvImpl : public torch::nn::Module {
 public:
  explicit DynamicMBConvImpl(const MBConvSpec& spec);
  torch::Tensor forward(const torch::Tensor& x, int kernel, int expand);

  const MBConvSpec& spec() const { return spec_; }

  DynamicConv2d expandConv{nullptr};
  DynamicBatchNorm2d expandBn{nullptr};
  DynamicConv2d depthConv{nullptr};
  DynamicBatchNorm2d depthBn{nullptr};
  DynamicSE se{nullptr};
  DynamicConv2d projectConv{nullptr};
  DynamicBatchNorm2d projectBn{nullptr};

 private:
  MBConvSpec spec_;
};
TORCH_MODULE(DynamicMBConv);

}  // namespace sn
