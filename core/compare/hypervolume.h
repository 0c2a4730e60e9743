#pragma once
#include <vector>

#include "core/search/pareto_front.h"

namespace sn {

// The area of the cost/accuracy plane that the points dominate, bounded by `reference` (a
// cost no better than the worst wanted, an accuracy no better than the worst wanted):
// cost is minimised, accuracy maximised. Points outside the reference box add nothing.
// Bigger is a better front; in units of cost x accuracy. O(n log n).
double hypervolume(std::vector<FrontPoint> points, const FrontPoint& reference);

}  // namespace sn
