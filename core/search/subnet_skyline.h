#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace sn {

// What the constraint sliders ask about one subnet. A latency that is not known is +inf, so
// the subnet is never picked under a latency limit.
struct SkylineEntry {
  int64_t id = 0;
  double macs = 0;
  double params = 0;
  double latencyMs = std::numeric_limits<double>::infinity();
  double accuracy = 0;
};

struct CostLimits {
  double maxMacs = std::numeric_limits<double>::infinity();
  double maxParams = std::numeric_limits<double>::infinity();
  double maxLatencyMs = std::numeric_limits<double>::infinity();
  bool admits(const SkylineEntry& e) const {
    return e.macs <= maxMacs && e.params <= maxParams && e.latencyMs <= maxLatencyMs;
  }
};

// Answers "the most accurate subnet within these limits" while a slider moves. Only the
// skyline is kept: the subnets no other subnet beats on accuracy at no more MACs, params and
// latency. The best subnet under any limits is always one of them (whatever dominates the
// best is within the same limits and at least as accurate), and for real runs the skyline is
// a few hundred of 100k-1M subnets, so a query is a short scan in accuracy order instead of
// a query over the table.
class SubnetSkyline {
 public:
  SubnetSkyline() = default;
  explicit SubnetSkyline(std::vector<SkylineEntry> entries);

  // Adds one subnet as an evaluation arrives; O(skyline).
  void add(const SkylineEntry& entry);
  // The most accurate entry within `limits` (ties: fewer MACs), if any.
  std::optional<SkylineEntry> best(const CostLimits& limits) const;

  const std::vector<SkylineEntry>& entries() const { return sky_; }  // accuracy descending

 private:
  std::vector<SkylineEntry> sky_;
};

}  // namespace sn
