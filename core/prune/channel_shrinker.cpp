#include "core/prune/channel_shrinker.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/prune/optimizer_state.h"
#include "core/space/cost_model.h"
#include "core/space/make_divisible.h"
#include "core/supernet/supernet.h"

namespace sn {
namespace {

// What one hidden channel of the block costs per image at its largest kernel: its row of
// the expansion, its depthwise filter, its column of the projection (and its SE share).
double channelMacs(const MBConvSpec& spec, int sideIn) {
  const int sideOut = convOutputSize(sideIn, spec.stride);
  double macs = static_cast<double>(spec.in) * sideIn * sideIn;
  macs += static_cast<double>(spec.kernelMax) * spec.kernelMax * sideOut * sideOut;
  macs += static_cast<double>(spec.out) * sideOut * sideOut;
  if (spec.se) macs += 2.0 * seHidden(spec.middle(spec.expandMax));
  return macs;
}

at::Tensor removedAlong(const at::Tensor& channelMask, int dim) {
  std::vector<int64_t> shape(4, 1);
  shape[dim] = -1;
  return (channelMask == 0).view(shape);
}

}  // namespace

ChannelShrinker::ChannelShrinker(SupernetImpl& net, ShrinkSpec spec) : spec_(spec) {
  int side = convOutputSize(net.shape().resolution, net.space().stem.stride);
  side = convOutputSize(side, net.firstBlock->spec().stride);
  for (auto& stage : net.blocks) {
    for (auto& block : stage) {
      const MBConvSpec& s = block->spec();
      if (s.expandConv) {
        block->enableChannelMask();
        blocks_.push_back({block.get(), channelMacs(s, side)});
        maxMacsPerChannel_ = std::max(maxMacsPerChannel_, blocks_.back().macsPerChannel);
        totalMacs_ += blocks_.back().macsPerChannel * static_cast<double>(block->maxMiddle());
      }
      side = convOutputSize(side, s.stride);
    }
  }
}

void ChannelShrinker::addPenaltyGradient(double epoch) {
  const double ramp = spec_.rampEpochs > 0 ? std::min(1.0, epoch / spec_.rampEpochs) : 1.0;
  const double lambda = spec_.l1 * ramp;
  if (lambda <= 0) return;
  torch::NoGradGuard noGrad;
  for (const Block& b : blocks_) {
    at::Tensor& gamma = b.block->depthBn->weight;
    at::Tensor grad = gamma.mutable_grad();
    if (!grad.defined()) continue;
    grad.add_(gamma.sign() * b.block->channelMask, lambda * b.macsPerChannel / maxMacsPerChannel_);
  }
}

ShrinkResult ChannelShrinker::shrink(torch::optim::Optimizer* optimizer) {
  torch::NoGradGuard noGrad;
  ShrinkResult result;
  std::vector<at::Tensor> candidates;
  double macs = 0;
  for (const Block& b : blocks_) {
    const at::Tensor c = (b.block->depthBn->weight.abs() < spec_.threshold) & (b.block->channelMask != 0);
    macs += c.sum().item<double>() * b.macsPerChannel;
    candidates.push_back(c);
  }
  result.macsShare = totalMacs_ > 0 ? macs / totalMacs_ : 0;
  if (macs <= 0 || result.macsShare < spec_.minMacs) {
    result.macsShare = 0;
    result.channelsTotal = removedChannels();
    return result;
  }
  for (size_t i = 0; i < blocks_.size(); ++i) {
    result.channels += candidates[i].sum().item<int64_t>();
    blocks_[i].block->channelMask.masked_fill_(candidates[i], 0);
    remove(blocks_[i], optimizer);
  }
  enforce();
  result.channelsTotal = removedChannels();
  return result;
}

void ChannelShrinker::remove(const Block& b, torch::optim::Optimizer* optimizer) {
  DynamicMBConvImpl& block = *b.block;
  const at::Tensor gone = block.channelMask == 0;
  const std::pair<DynamicConv2dImpl*, int> convs[] = {
      {block.expandConv.get(), 0}, {block.depthConv.get(), 0}, {block.projectConv.get(), 1}};
  for (const auto& [conv, dim] : convs) {
    const at::Tensor where = removedAlong(block.channelMask, dim).expand_as(conv->weight);
    conv->weight.masked_fill_(where, 0);
    if (conv->hasMask()) conv->mask.masked_fill_(where, 0);  // the pruner keeps them masked after
    if (optimizer) zeroOptimizerState(*optimizer, conv->weight, where);
  }
  for (DynamicBatchNorm2dImpl* bn : {block.expandBn.get(), block.depthBn.get()}) {
    if (!optimizer) continue;
    zeroOptimizerState(*optimizer, bn->weight, gone);
    zeroOptimizerState(*optimizer, bn->bias, gone);
  }
}

void ChannelShrinker::enforce() {
  torch::NoGradGuard noGrad;
  for (const Block& b : blocks_) {
    DynamicMBConvImpl& block = *b.block;
    const at::Tensor gone = block.channelMask == 0;
    for (DynamicBatchNorm2dImpl* bn : {block.expandBn.get(), block.depthBn.get()}) {
      bn->weight.masked_fill_(gone, 0);
      bn->bias.masked_fill_(gone, 0);
    }
  }
}

int64_t ChannelShrinker::removedChannels() const {
  int64_t n = 0;
  for (const Block& b : blocks_) n += (b.block->channelMask == 0).sum().item<int64_t>();
  return n;
}

}  // namespace sn
