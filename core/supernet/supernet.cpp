#include "core/supernet/supernet.h"

#include "core/supernet/activation.h"

namespace sn {

SupernetImpl::SupernetImpl(const SearchSpace& space, const NetShape& shape)
    : space_(space), shape_(shape), active_(Arch::largest(space)) {
  stemConv = register_module("stem_conv", DynamicConv2d(shape.channels, space.stemWidth(),
                                                        space.stem.kernel, space.stem.stride,
                                                        false, false));
  stemBn = register_module("stem_bn", DynamicBatchNorm2d(space.stemWidth()));

  firstBlock = register_module("first_block", DynamicMBConv(firstBlockSpec(space)));
  for (int s = 0; s < space.stageCount(); ++s) {
    std::vector<DynamicMBConv> stageBlocks;
    for (int b = 0; b < space.maxDepth(); ++b) {
      const std::string name = "stage" + std::to_string(s + 1) + "_block" + std::to_string(b + 1);
      stageBlocks.push_back(register_module(name, DynamicMBConv(stageBlockSpec(space, s, b))));
    }
    blocks.push_back(std::move(stageBlocks));
  }

  finalExpandConv = register_module(
      "final_expand_conv", DynamicConv2d(lastStageWidth(space), space.finalExpandWidth(), 1, 1, false, false));
  finalExpandBn = register_module("final_expand_bn", DynamicBatchNorm2d(space.finalExpandWidth()));
  featureConv = register_module(
      "feature_conv",
      DynamicConv2d(space.finalExpandWidth(), space.featureWidth(), 1, 1, false, false));
  dropout = register_module("dropout", torch::nn::Dropout(space.head.dropout));
  classifier = register_module("classifier", torch::nn::Linear(space.featureWidth(), shape.classes));
}

void SupernetImpl::setActive(const Arch& arch) {
  arch.validate(space_);
  active_ = arch;
}

torch::Tensor SupernetImpl::forward(const torch::Tensor& input) {
  // channels_last (the default) sends every conv to oneDNN and suits cuDNN's tensor cores:
  // ofa-mbv3 trains 2.2x faster than in NCHW on the CPU (measured; docs/ARCHITECTURE.md).
  const torch::Tensor in = input.contiguous(channelsLast_ ? at::MemoryFormat::ChannelsLast
                                                         : at::MemoryFormat::Contiguous);
  torch::Tensor x = applyActivation(
      stemBn(stemConv(in, space_.stemWidth(), space_.stem.kernel)), space_.stem.act);
  x = firstBlock(x, space_.firstBlock.kernel, space_.firstBlock.expand);
  for (size_t s = 0; s < blocks.size(); ++s) {
    const StageArch& stage = active_.stages[s];
    for (int b = 0; b < stage.depth(); ++b) x = blocks[s][b](x, stage.kernels[b], stage.expands[b]);
  }
  x = applyActivation(finalExpandBn(finalExpandConv(x, space_.finalExpandWidth(), 1)),
                      Activation::HSwish);
  x = x.mean({2, 3}, /*keepdim=*/true);
  x = applyActivation(featureConv(x, space_.featureWidth(), 1), Activation::HSwish);
  return classifier(dropout(x.flatten(1)));
}

void SupernetImpl::beginBnRecalibration() {
  for (auto& m : modules(/*include_self=*/false)) {
    if (auto* bn = m->as<DynamicBatchNorm2dImpl>()) bn->beginRecalibration();
  }
}

void SupernetImpl::endBnRecalibration() {
  for (auto& m : modules(false)) {
    if (auto* bn = m->as<DynamicBatchNorm2dImpl>()) bn->endRecalibration();
  }
}

void SupernetImpl::enableMasks() {
  auto maskBlock = [](DynamicMBConv& block) {
    if (block->expandConv) block->expandConv->enableMask();
    block->depthConv->enableMask();
    block->projectConv->enableMask();
  };
  maskBlock(firstBlock);
  for (auto& stage : blocks) {
    for (auto& block : stage) maskBlock(block);
  }
}

}  // namespace sn
