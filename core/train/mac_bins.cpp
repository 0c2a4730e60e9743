#include "core/train/mac_bins.h"

#include <algorithm>
#include <limits>

#include "core/space/cost_model.h"

namespace sn {

MacBins::MacBins(const SearchSpace& space, const NetShape& shape, int bins, uint64_t seed, int sampleSize)
    : space_(space), shape_(shape) {
  std::mt19937_64 rng(seed ^ 0x6D61636269ULL);
  std::vector<int64_t> macs;
  macs.reserve(static_cast<size_t>(sampleSize));
  for (int i = 0; i < sampleSize; ++i) macs.push_back(computeCost(space_, Arch::sample(space_, rng), shape_).macs);
  std::sort(macs.begin(), macs.end());
  for (int b = 1; b < bins; ++b) upper_.push_back(macs[static_cast<size_t>(b) * macs.size() / static_cast<size_t>(bins)]);
  upper_.push_back(std::numeric_limits<int64_t>::max());
}

int MacBins::binOf(int64_t macs) const {
  // Bin b holds [upper[b-1], upper[b]).
  return static_cast<int>(std::upper_bound(upper_.begin(), upper_.end(), macs) - upper_.begin());
}

int MacBins::binOf(const Arch& arch) const { return binOf(computeCost(space_, arch, shape_).macs); }

int64_t MacBins::distanceTo(int bin, int64_t macs) const {
  const int64_t lower = bin == 0 ? std::numeric_limits<int64_t>::min() : upper_[static_cast<size_t>(bin) - 1];
  const int64_t upper = upper_[static_cast<size_t>(bin)];
  if (macs < lower) return lower - macs;
  if (macs >= upper) return macs - upper + 1;
  return 0;
}

Arch MacBins::sampleIn(int bin, std::mt19937_64& rng, int tries) const {
  Arch nearest;
  int64_t nearestDistance = std::numeric_limits<int64_t>::max();
  for (int i = 0; i < tries; ++i) {
    Arch a = Arch::sample(space_, rng);
    const int64_t d = distanceTo(bin, computeCost(space_, a, shape_).macs);
    if (d == 0) return a;
    if (d < nearestDistance) {
      nearestDistance = d;
      nearest = std::move(a);
    }
  }
  return nearest;
}

}  // namespace sn
