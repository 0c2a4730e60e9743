#include "core/supernet/dynamic_mbconv.h"

#include <torch/torch.h>

#include "core/supernet/activation.h"

namespace sn {

DynamicMBConvImpl::DynamicMBConvImpl(const MBConvSpec& spec) : spec_(spec) {
  const int maxMiddle = spec.middle(spec.expandMax);
  if (spec.expandConv) {
    expandConv = register_module("expand_conv",
                                 DynamicConv2d(spec.in, maxMiddle, 1, 1, false, false));
    expandBn = register_module("expand_bn", DynamicBatchNorm2d(maxMiddle));
  }
  depthConv = register_module(
      "depth_conv", DynamicConv2d(maxMiddle, maxMiddle, spec.kernelMax, spec.stride, true, false));
  depthConv->enableKernelTransform(spec.transformKernels);
  depthBn = register_module("depth_bn", DynamicBatchNorm2d(maxMiddle));
  if (spec.se) se = register_module("se", DynamicSE(maxMiddle));
  projectConv =
      register_module("project_conv", DynamicConv2d(maxMiddle, spec.out, 1, 1, false, false));
  projectBn = register_module("project_bn", DynamicBatchNorm2d(spec.out));
}

void DynamicMBConvImpl::enableChannelMask() {
  if (!channelMask.defined()) {
    channelMask = register_buffer("channel_mask", torch::ones({maxMiddle()}, depthBn->weight.options()));
  }
}

torch::Tensor DynamicMBConvImpl::forward(const torch::Tensor& x, int kernel, int expand) {
  torch::Tensor y = x;
  if (spec_.expandConv) {
    y = applyActivation(expandBn(expandConv(y, spec_.middle(expand), 1)), spec_.act);
  }
  y = applyActivation(depthBn(depthConv(y, y.size(1), kernel)), spec_.act);
  if (spec_.se) y = se(y);
  y = projectBn(projectConv(y, spec_.out, 1));
  return spec_.residual() ? y + x : y;
}

}  // namespace sn
