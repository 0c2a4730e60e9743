#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <vector>

#include "core/prune/prune_report.h"
#include "core/prune/pruning_spec.h"

namespace torch::optim {
class Optimizer;
}

namespace sn {

class SupernetImpl;
class DynamicConv2dImpl;
class DynamicMBConvImpl;

// One prunable conv of the supernet (a block's expand, depthwise or project conv) and the
// block whose hidden channels it touches.
struct PrunableLayer {
  std::string name;  // module path, e.g. "stage1_block2.depth_conv"
  DynamicConv2dImpl* conv = nullptr;
  DynamicMBConvImpl* block = nullptr;
  int channelDim = 0;  // the weight dimension indexed by the block's hidden channels
};

// Magnitude pruning of the supernet's shared masks (one per prunable conv, seen by every
// subnet). Each step ranks |w| and masks exactly round(s x N) weights, over all layers at
// once (global) or in each layer alone. Channels removed by shrinking rank below every
// weight, so they stay masked. The masks must exist (Supernet::enableMasks).
class MagnitudePruner {
 public:
  MagnitudePruner(SupernetImpl& net, PruningSpec spec);

  // Recomputes the masks at `sparsity`; `optimizer` (may be null) loses the momentum of
  // weights that `reset` zeroes.
  PruneReport prune(double sparsity, torch::optim::Optimizer* optimizer);

  const std::vector<PrunableLayer>& layers() const { return layers_; }
  // Share of prunable weights masked now, overall.
  double sparsity() const;

 private:
  at::Tensor scores(const PrunableLayer& layer) const;
  // Masks the `count` lowest of `scores` (flat): the new flat keep-mask.
  static at::Tensor keepAllBut(const at::Tensor& scores, int64_t count);

  PruningSpec spec_;
  std::vector<PrunableLayer> layers_;
};

// The prunable convs of a supernet whose masks are enabled, in module order.
std::vector<PrunableLayer> prunableLayers(SupernetImpl& net);

}  // namespace sn
