#include "core/supernet/static_subnet.h"

#include <chrono>

#include "core/space/make_divisible.h"
#include "core/supernet/activation.h"

namespace sn {
namespace {

namespace nn = torch::nn;

nn::Conv2d makeConv(int64_t in, int64_t out, int64_t kernel, int64_t stride, bool depthwise,
                    bool bias) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, kernel)
                        .stride(stride)
                        .padding(kernel / 2)
                        .groups(depthwise ? in : 1)
                        .bias(bias));
}

nn::BatchNorm2d makeBn(int64_t channels) {
  return nn::BatchNorm2d(nn::BatchNormOptions(channels).eps(kBnEps).momentum(kBnMomentum));
}

torch::Tensor runConv(nn::Conv2d conv, const torch::Tensor& x, OpCounter* counter) {
  torch::Tensor y = conv->forward(x);
  if (counter) {
    const auto& o = conv->options;
    const int64_t perOutput = o.in_channels() / o.groups() * (*o.kernel_size())[0] *
                              (*o.kernel_size())[1];
    counter->macs += perOutput * (y.numel() / y.size(0));
  }
  return y;
}

void copyConv(nn::Conv2d& dst, const DynamicConv2dImpl& src, int64_t in, int64_t out,
              int64_t kernel) {
  dst->weight.copy_(src.activeWeight(in, out, kernel));
  if (src.bias.defined()) dst->bias.copy_(src.activeBias(out));
}

void copyBn(nn::BatchNorm2d& dst, const DynamicBatchNorm2dImpl& src) {
  const int64_t c = dst->weight.size(0);
  dst->weight.copy_(src.weight.narrow(0, 0, c));
  dst->bias.copy_(src.bias.narrow(0, 0, c));
  dst->running_mean.copy_(src.running_mean.narrow(0, 0, c));
  dst->running_var.copy_(src.running_var.narrow(0, 0, c));
}

}  // namespace

StaticMBConvImpl::StaticMBConvImpl(const MBConvSpec& spec, int kernel, int expand)
    : spec_(spec), kernel_(kernel), middle_(spec.middle(expand)) {
  if (spec.expandConv) {
    expandConv = register_module("expand_conv", makeConv(spec.in, middle_, 1, 1, false, false));
    expandBn = register_module("expand_bn", makeBn(middle_));
  }
  depthConv =
      register_module("depth_conv", makeConv(middle_, middle_, kernel, spec.stride, true, false));
  depthBn = register_module("depth_bn", makeBn(middle_));
  if (spec.se) {
    const int hidden = seHidden(middle_);
    seReduce = register_module("se_reduce", makeConv(middle_, hidden, 1, 1, false, true));
    seExpand = register_module("se_expand", makeConv(hidden, middle_, 1, 1, false, true));
  }
  projectConv = register_module("project_conv", makeConv(middle_, spec.out, 1, 1, false, false));
  projectBn = register_module("project_bn", makeBn(spec.out));
}

torch::Tensor StaticMBConvImpl::forward(const torch::Tensor& x, OpCounter* counter) {
  torch::Tensor y = x;
  if (spec_.expandConv) y = applyActivation(expandBn(runConv(expandConv, y, counter)), spec_.act);
  y = applyActivation(depthBn(runConv(depthConv, y, counter)), spec_.act);
  if (spec_.se) {
    torch::Tensor s = y.mean({2, 3}, true);
    s = torch::relu(runConv(seReduce, s, counter));
    y = y * hardSigmoid(runConv(seExpand, s, counter));
  }
  y = projectBn(runConv(projectConv, y, counter));
  return spec_.residual() ? y + x : y;
}

void StaticMBConvImpl::copyFrom(const DynamicMBConvImpl& src) {
  torch::NoGradGuard noGrad;
  if (spec_.expandConv) {
    copyConv(expandConv, *src.expandConv, spec_.in, middle_, 1);
    copyBn(expandBn, *src.expandBn);
  }
  copyConv(depthConv, *src.depthConv, middle_, middle_, kernel_);
  copyBn(depthBn, *src.depthBn);
  if (spec_.se) {
    const int hidden = seHidden(middle_);
    seReduce->weight.copy_(src.se->reduceWeight.narrow(0, 0, hidden).narrow(1, 0, middle_));
    seReduce->bias.copy_(src.se->reduceBias.narrow(0, 0, hidden));
    seExpand->weight.copy_(src.se->expandWeight.narrow(0, 0, middle_).narrow(1, 0, hidden));
    seExpand->bias.copy_(src.se->expandBias.narrow(0, 0, middle_));
  }
  copyConv(projectConv, *src.projectConv, middle_, spec_.out, 1);
  copyBn(projectBn, *src.projectBn);
}

StaticSubnetImpl::StaticSubnetImpl(const SearchSpace& space, const Arch& arch,
                                   const NetShape& shape)
    : space_(space), arch_(arch) {
  arch.validate(space);
  stemConv = register_module("stem_conv", makeConv(shape.channels, space.stemWidth(),
                                                   space.stem.kernel, space.stem.stride, false,
                                                   false));
  stemBn = register_module("stem_bn", makeBn(space.stemWidth()));
  blocks = register_module("blocks", nn::ModuleList());
  const FirstBlockSpec& fb = space.firstBlock;
  blocks->push_back(StaticMBConv(firstBlockSpec(space), fb.kernel, fb.expand));
  for (int s = 0; s < space.stageCount(); ++s) {
    const StageArch& st = arch.stages[s];
    for (int b = 0; b < st.depth(); ++b) {
      blocks->push_back(StaticMBConv(stageBlockSpec(space, s, b), st.kernels[b], st.expands[b]));
    }
  }
  finalExpandConv = register_module(
      "final_expand_conv", makeConv(lastStageWidth(space), space.finalExpandWidth(), 1, 1, false, false));
  finalExpandBn = register_module("final_expand_bn", makeBn(space.finalExpandWidth()));
  featureConv = register_module(
      "feature_conv", makeConv(space.finalExpandWidth(), space.featureWidth(), 1, 1, false, false));
  dropout = register_module("dropout", nn::Dropout(space.head.dropout));
  classifier = register_module("classifier", nn::Linear(space.featureWidth(), shape.classes));
}

torch::Tensor StaticSubnetImpl::forward(const torch::Tensor& input, OpCounter* counter) {
  return run(input, counter, nullptr);
}

torch::Tensor StaticSubnetImpl::forwardTimingBlocks(const torch::Tensor& input,
                                                    std::vector<double>& blockMs) {
  return run(input, nullptr, &blockMs);
}

torch::Tensor StaticSubnetImpl::run(const torch::Tensor& input, OpCounter* counter,
                                    std::vector<double>* blockMs) {
  using Clock = std::chrono::steady_clock;
  // Same memory format as the supernet (see SupernetImpl::forward).
  const torch::Tensor nhwc = input.contiguous(at::MemoryFormat::ChannelsLast);
  torch::Tensor x = applyActivation(stemBn(runConv(stemConv, nhwc, counter)), space_.stem.act);
  for (size_t i = 0; i < blocks->size(); ++i) {
    const auto start = Clock::now();
    x = blocks[i]->as<StaticMBConvImpl>()->forward(x, counter);
    // Block 0 is the space's fixed first block, not an elastic slot.
    if (blockMs && i > 0) {
      blockMs->push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
  }
  x = applyActivation(finalExpandBn(runConv(finalExpandConv, x, counter)), Activation::HSwish);
  x = x.mean({2, 3}, true);
  x = applyActivation(runConv(featureConv, x, counter), Activation::HSwish);
  x = classifier(dropout(x.flatten(1)));
  if (counter) counter->macs += classifier->weight.numel();
  return x;
}

StaticSubnet extractSubnet(SupernetImpl& net, const Arch& arch) {
  StaticSubnet subnet(net.space(), arch, net.shape());
  subnet->to(net.parameters().front().device());
  subnet->train(net.is_training());
  torch::NoGradGuard noGrad;
  const SearchSpace& space = net.space();
  copyConv(subnet->stemConv, *net.stemConv, net.shape().channels, space.stemWidth(),
           space.stem.kernel);
  copyBn(subnet->stemBn, *net.stemBn);
  size_t index = 0;
  subnet->blocks[index++]->as<StaticMBConvImpl>()->copyFrom(*net.firstBlock);
  for (size_t s = 0; s < arch.stages.size(); ++s) {
    for (int b = 0; b < arch.stages[s].depth(); ++b) {
      subnet->blocks[index++]->as<StaticMBConvImpl>()->copyFrom(*net.blocks[s][b]);
    }
  }
  copyConv(subnet->finalExpandConv, *net.finalExpandConv, net.finalExpandConv->weight.size(1),
           space.finalExpandWidth(), 1);
  copyBn(subnet->finalExpandBn, *net.finalExpandBn);
  copyConv(subnet->featureConv, *net.featureConv, space.finalExpandWidth(), space.featureWidth(),
           1);
  subnet->classifier->weight.copy_(net.classifier->weight);
  subnet->classifier->bias.copy_(net.classifier->bias);
  return subnet;
}

}  // namespace sn
