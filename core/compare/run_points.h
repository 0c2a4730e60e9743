#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/search/pareto_front.h"

namespace sn {

// About how many of a run's subnets off its front a comparison's scatter draws, an even
// sample: enough to show the cloud (six runs of 100k as chart items took minutes to draw).
constexpr size_t kDrawnPerRun = 2000;

// What a comparison's scatter draws of one run: its front, then an even sample of its other
// measured subnets (all of them for a small run), as points on the comparison's axes with
// their ids. The first view reads it on its own (three columns, only the front and the
// sample held); a whole comparison gives it by pointsOf.
struct RunPoints {
  size_t measured = 0;   // the run's measured subnets with a cost on the axis
  size_t frontSize = 0;  // the first frontSize points, by ascending cost
  std::vector<int64_t> ids;
  std::vector<FrontPoint> points;  // cost in M MACs or ms, accuracy in %
};

// The stride of an even sample of about kDrawnPerRun of `n`.
inline size_t drawStride(size_t n) {
  return n > kDrawnPerRun ? (n + kDrawnPerRun - 1) / kDrawnPerRun : 1;
}

}  // namespace sn
