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
  const auto gradient = regrow ? kernels::MaskGradient::StraightThrough : kernels::MaskGradient::Masked;
  if (transforms.empty() || kernel == kernelMax()) {
    return kernels::materializeWeight(weight, mask, out, inPerGroup, kernel, gradient);
  }
  // The mask is on the stored (largest) kernel; the transform reads the masked weights.
  return transformed(kernels::materializeWeight(weight, mask, out, inPerGroup, kernelMax(), gradient),
                     kernel);
}

// OFA's get_active_filter: from the largest kernel down to `kernel`, each step takes the
// centre of the current filter and multiplies its flattened k*k values by the matrix
// (F.linear: x A^T).
torch::Tensor DynamicConv2dImpl::transformed(const torch::Tensor& full, int64_t kernel) const {
  torch::Tensor w = full;
  for (size_t i = transformKernels_.size() - 1; i > 0; --i) {
    const int64_t from = transformKernels_[i];
    if (from <= kernel) break;
    const int64_t to = transformKernels_[i - 1];
    const int64_t start = (from - to) / 2;
    const torch::Tensor centre = w.narrow(2, start, to).narrow(3, start, to).contiguous();
    w = torch::linear(centre.view({centre.size(0), to * to}), transforms[i - 1])
            .view({centre.size(0), centre.size(1), to, to});
  }
  return w;
}

void DynamicConv2dImpl::enableKernelTransform(const std::vector<int>& kernels) {
  if (!depthwise_ || kernels.size() < 2 || !transforms.empty()) return;
  transformKernels_ = kernels;
  for (size_t i = 0; i + 1 < kernels.size(); ++i) {
    const int64_t small = kernels[i];
    transforms.push_back(register_parameter(transformName(kernels[i + 1], kernels[i]),
                                            torch::eye(small * small, weight.options())));
  }
}

std::string DynamicConv2dImpl::transformName(int from, int to) {
  return "matrix_" + std::to_string(from) + "to" + std::to_string(to);
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
