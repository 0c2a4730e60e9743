#pragma once
#include <cstdint>
#include <vector>

#include "core/prune/pruning_spec.h"

namespace torch::optim {
class Optimizer;
}

namespace sn {

class SupernetImpl;
class DynamicMBConvImpl;

struct ShrinkResult {
  int64_t channels = 0;       // removed by this call
  int64_t channelsTotal = 0;  // removed so far
  double macsShare = 0;       // of all hidden channels' MACs, removed by this call
};

// Architecture shrinking by the same training (network slimming on the supernet): an L1
// penalty on each block's depthwise BN scales, weighted by what a hidden channel costs in
// MACs, pushes unneeded channels' gamma to zero; shrink() then removes the channels below
// the threshold. A removed channel keeps its place (elastic expand keeps using the first
// channels of the shared weight) but is zero for every subnet: its conv weights are masked,
// its BN scale and shift held at zero, its optimizer state cleared. Blocks without an
// expansion conv (whose hidden channels are the block's input) are left alone.
class ChannelShrinker {
 public:
  // Adds the blocks' channel masks (Supernet weights then carry them in checkpoints).
  ChannelShrinker(SupernetImpl& net, ShrinkSpec spec);

  // After backward: adds the penalty's subgradient at training time `epoch` (fractional;
  // the penalty ramps up linearly over rampEpochs).
  void addPenaltyGradient(double epoch);
  // Removes the channels whose |gamma| is below the threshold when together they are worth
  // at least minMacs of the hidden channels' MACs. `optimizer` may be null.
  ShrinkResult shrink(torch::optim::Optimizer* optimizer);
  // Holds removed channels' BN scale and shift at zero; after each step. (Their conv masks
  // are zeroed once, at removal, and the pruner's ranking keeps them masked.)
  void enforce();

  int64_t removedChannels() const;

 private:
  struct Block {
    DynamicMBConvImpl* block = nullptr;
    double macsPerChannel = 0;  // one hidden channel at the largest kernel
  };
  void remove(const Block& b, torch::optim::Optimizer* optimizer);

  ShrinkSpec spec_;
  std::vector<Block> blocks_;
  double maxMacsPerChannel_ = 0;
  double totalMacs_ = 0;
};

}  // namespace sn
