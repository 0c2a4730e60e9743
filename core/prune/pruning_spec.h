#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sn {

// Network-slimming style shrinking learned by the same training: an L1 penalty on the
// depthwise BN scales (each channel weighted by its MACs) ramped up over the first epochs;
// at pruning steps, hidden channels whose |gamma| is below `threshold` are removed when
// together they are worth at least `minMacs` of the supernet's hidden-channel MACs.
struct ShrinkSpec {
  bool enabled = false;
  double l1 = 1e-4;         // penalty weight at full ramp
  double rampEpochs = 2.0;  // linear ramp from 0
  double threshold = 0.01;  // |gamma| below this is a candidate
  double minMacs = 0.01;    // share of the hidden channels' MACs worth a removal
};

// SuperTickets' progressive magnitude pruning of the shared block convs (stem, SE, head and
// classifier are never pruned). At epoch `startEpoch` and every `interval` epochs after it
// the masks are recomputed at sparsity min(target, step x k) for the k-th pruning step,
// until the step that reaches the target; the epochs after it train with the masks fixed.
struct PruningSpec {
  bool enabled = false;
  int startEpoch = 1;   // 0: prune before the first step
  int interval = 1;     // epochs between pruning steps
  double step = 0.1;    // sparsity added per pruning step
  double target = 0.9;  // final sparsity
  std::string scope = "global";  // global: one threshold over all layers | layer: each layer alone
  // recompute: masks from scratch at each step; pruned weights keep their values and get
  // straight-through gradients, so one that grows back above the threshold returns.
  // keep: a pruned weight stays pruned (and gets no gradient).
  // reset: as recompute, but a newly pruned weight is set to zero (regrows from zero).
  std::string regrowth = "recompute";
  ShrinkSpec shrink;

  // The sparsity scheduled from the start of `epoch` (0-based) on: 0 before the first step.
  double sparsityAt(int64_t epoch) const;
  // Whether a pruning step happens at the start of `epoch`.
  bool pruneAt(int64_t epoch) const;
  // Straight-through gradients for pruned weights (recompute, reset).
  bool regrows() const { return regrowth != "keep"; }

  nlohmann::json toJson() const;
  // A bad value throws InputError naming `origin`.
  static PruningSpec fromJson(const nlohmann::json& j, const std::string& origin);
};

}  // namespace sn
