#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"

namespace sn {

// The space's MAC range cut into bins that hold equal shares of uniformly drawn subnets
// (edges at quantiles of a seeded sample), so that drawing inside any bin by rejection takes
// a few tries on average. AttentiveNAS's MAC bands and complexity-shifted sampling's bins.
class MacBins {
 public:
  MacBins(const SearchSpace& space, const NetShape& shape, int bins, uint64_t seed, int sampleSize = 2000);

  int count() const { return static_cast<int>(upper_.size()); }
  int binOf(int64_t macs) const;
  int binOf(const Arch& arch) const;
  // A uniformly drawn subnet whose MACs fall in `bin`: the first of up to `tries` draws that
  // does, else the draw nearest the bin.
  Arch sampleIn(int bin, std::mt19937_64& rng, int tries = 400) const;
  // Upper MAC edges (the last bin is open above).
  const std::vector<int64_t>& upperEdges() const { return upper_; }

 private:
  int64_t distanceTo(int bin, int64_t macs) const;

  SearchSpace space_;
  NetShape shape_;
  std::vector<int64_t> upper_;
};

}  // namespace sn
