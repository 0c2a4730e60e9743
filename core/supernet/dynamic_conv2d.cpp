#include "core/supernet/dynamic_conv2d.h"

#include <torch/torch.h>

#include <cmath>

#include "kernels/materialize_weight.h"

namespace sn {

DynamicConv2dImpl::DynamicConv2dImpl(int64_t inMax, int64_t outMax, int64_t kernelMax,
                                     int64_t stride, bool depthwise, bool bias)
    : stride_(stride), depthwise_(depthwise) {
  const int64_t inPerGroup = depthwise ? 1 : inMax;
  weight = register_parameter("weight", torch::empty({outMax, inPerGroup, kernelMax, kernelMax}));
  // Once-for-All's init: normal with std sqrt(2 / (k * k * out)) (He, fan-out).
  torch::NoGradGuard noGrad;
  weight.normal_(0.0, std::sqrt(2.0 / static_cast<double>(kernelMax * kernelMax * outMax)));
  if (bias) this->bias = register_parameter("bias", torch::zeros({outMax}));
}

torch::Tensor DynamicConv2dImpl::activeWeight(int64_t in, int64_t out, int64_t kernel) const {
  const int64_t inPerGroup = depthwise_ ? 1 : in;
  if (depthwise_) out = in;
  // Regrowth needs gradients on pruned weights, and only while training.
  const bool regrow = straightThrough && torch::GradMode::is_enabled();
  return kernels::materializeWeight(
      weight, mask, out, inPerGroup, kernel,
      regrow ? kernels::MaskGradient::StraightThrough : kernels::MaskGradient::Masked);
}

torch::Tensor DynamicConv2dImpl::activeBias(int64_t out) const {
  if (!bias.defined()) return {};
  return out == bias.size(0) ? bias : bias.narrow(0, 0, out);
}

torch::Tensor DynamicConv2dImpl::forward(const torch::Tensor& x, int64_t out, int64_t kernel) {
  const int64_t in = x.size(1);
  if (depthwise_) out = in;
  const torch::Tensor w = activeWeight(in, out, kernel);
  return torch::conv2d(x, w, activeBias(out), stride_, kernel / 2, 1, depthwise_ ? in : 1);
}

void DynamicConv2dImpl::enableMask() {
  if (!mask.defined()) mask = register_buffer("mask", torch::ones_like(weight));
}

}  // namespace sn
