#include "core/prune/magnitude_pruner.h"

#include <torch/torch.h>

#include <cmath>

#include "core/prune/optimizer_state.h"
#include "core/supernet/supernet.h"

namespace sn {
namespace {

// Scores below every |w|: removed channels rank lowest, then (under keep) pruned weights.
constexpr double kRemovedScore = -2.0;
constexpr double kPrunedScore = -1.0;

void addBlock(std::vector<PrunableLayer>& out, const std::string& name, DynamicMBConvImpl& block) {
  if (block.expandConv && block.expandConv->hasMask()) {
    out.push_back({name + ".expand_conv", block.expandConv.get(), &block, 0});
  }
  if (block.depthConv->hasMask()) out.push_back({name + ".depth_conv", block.depthConv.get(), &block, 0});
  if (block.projectConv->hasMask()) {
    out.push_back({name + ".project_conv", block.projectConv.get(), &block, 1});
  }
}

int64_t countAtRate(double sparsity, int64_t n) {
  return static_cast<int64_t>(std::llround(sparsity * static_cast<double>(n)));
}

}  // namespace

std::vector<PrunableLayer> prunableLayers(SupernetImpl& net) {
  std::vector<PrunableLayer> layers;
  addBlock(layers, "first_block", *net.firstBlock);
  for (size_t s = 0; s < net.blocks.size(); ++s) {
    for (size_t b = 0; b < net.blocks[s].size(); ++b) {
      addBlock(layers, "stage" + std::to_string(s + 1) + "_block" + std::to_string(b + 1), *net.blocks[s][b]);
    }
  }
  return layers;
}

MagnitudePruner::MagnitudePruner(SupernetImpl& net, PruningSpec spec)
    : spec_(std::move(spec)), layers_(prunableLayers(net)) {}

at::Tensor MagnitudePruner::scores(const PrunableLayer& layer) const {
  const DynamicConv2dImpl& conv = *layer.conv;
  at::Tensor s = conv.weight.detach().abs().to(torch::kFloat32);
  if (spec_.regrowth == "keep") s.masked_fill_(conv.mask == 0, kPrunedScore);
  const at::Tensor& channels = layer.block->channelMask;
  if (channels.defined()) {
    std::vector<int64_t> shape(4, 1);
    shape[layer.channelDim] = -1;
    s.masked_fill_(channels.view(shape) == 0, kRemovedScore);
  }
  return s.flatten();
}

at::Tensor MagnitudePruner::keepAllBut(const at::Tensor& scores, int64_t count) {
  // Whatever must go (scores below zero) goes even past the scheduled count.
  count = std::max(count, (scores < 0).sum().item<int64_t>());
  const at::Tensor order = std::get<1>(torch::sort(scores, /*stable=*/true, 0, false));
  at::Tensor keep = torch::ones_like(scores);
  keep.index_fill_(0, order.narrow(0, 0, count), 0);
  return keep;
}

PruneReport MagnitudePruner::prune(double sparsity, torch::optim::Optimizer* optimizer) {
  torch::NoGradGuard noGrad;
  PruneReport report;
  report.target = sparsity;
  std::vector<at::Tensor> keeps;
  if (spec_.scope == "global") {
    std::vector<at::Tensor> all;
    for (const PrunableLayer& l : layers_) all.push_back(scores(l));
    const at::Tensor flat = torch::cat(all);
    const at::Tensor keep = keepAllBut(flat, countAtRate(sparsity, flat.numel()));
    int64_t offset = 0;
    for (const PrunableLayer& l : layers_) {
      keeps.push_back(keep.narrow(0, offset, l.conv->mask.numel()));
      offset += l.conv->mask.numel();
    }
  } else {
    for (const PrunableLayer& l : layers_) {
      const at::Tensor s = scores(l);
      keeps.push_back(keepAllBut(s, countAtRate(sparsity, s.numel())));
    }
  }
  for (size_t i = 0; i < layers_.size(); ++i) {
    DynamicConv2dImpl& conv = *layers_[i].conv;
    const at::Tensor next = keeps[i].view_as(conv.mask).to(conv.mask.dtype());
    const at::Tensor newlyPruned = (conv.mask != 0) & (next == 0);
    report.pruned += newlyPruned.sum().item<int64_t>();
    report.reactivated += ((conv.mask == 0) & (next != 0)).sum().item<int64_t>();
    if (spec_.regrowth == "reset") {
      conv.weight.masked_fill_(newlyPruned, 0);
      if (optimizer) zeroOptimizerState(*optimizer, conv.weight, newlyPruned);
    }
    conv.mask.copy_(next);
    report.layers.emplace_back(layers_[i].name, 1.0 - next.mean().item<double>());
  }
  report.sparsity = this->sparsity();
  for (const PrunableLayer& l : layers_) report.weights += l.conv->mask.numel();
  return report;
}

double MagnitudePruner::sparsity() const {
  int64_t zeros = 0, total = 0;
  for (const PrunableLayer& l : layers_) {
    zeros += (l.conv->mask == 0).sum().item<int64_t>();
    total += l.conv->mask.numel();
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

}  // namespace sn
