#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sn {

// What one pruning step at an epoch boundary did to the supernet's masks.
struct PruneReport {
  int64_t epoch = 0;         // the epoch it opened (0-based)
  double target = 0;         // scheduled sparsity
  double sparsity = 0;       // share of prunable weights now masked
  int64_t weights = 0;       // prunable weights in the supernet
  int64_t pruned = 0;        // newly masked by this step
  int64_t reactivated = 0;   // masked before, kept now
  std::vector<std::pair<std::string, double>> layers;  // per prunable conv: its sparsity
  // Channel shrinking at the same boundary (when enabled).
  int64_t channelsRemoved = 0;
  int64_t channelsRemovedTotal = 0;
  double macsRemovedShare = 0;  // of the hidden channels' MACs, removed by this step
};

}  // namespace sn
