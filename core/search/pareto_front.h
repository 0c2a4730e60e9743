#pragma once
#include <cstddef>
#include <vector>

namespace sn {

// One subnet as the front sees it: a cost to minimise (MACs, latency, ...) and an accuracy to
// maximise.
struct FrontPoint {
  double cost = 0;
  double accuracy = 0;
};

// Indices of the points no other point dominates (cost <= and accuracy >=, one of them
// strictly), ordered by ascending cost: the line a Pareto plot draws. Exact duplicates of a
// front point are all kept, in index order. O(n log n).
std::vector<size_t> paretoFront(const std::vector<FrontPoint>& points);

}  // namespace sn
