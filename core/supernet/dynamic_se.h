#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace sn {

// Squeeze-excite over the active middle channels: pool, 1x1 conv to make_divisible(C/4, 8)
// with bias, ReLU, 1x1 conv back with bias, h_sigmoid, scale.
class DynamicSEImpl : public torch::nn::Module {
 public:
  explicit DynamicSEImpl(int64_t maxChannels);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor reduceWeight, reduceBias, expandWeight, expandBias;
};
TORCH_MODULE(DynamicSE);

}  // namespace sn
