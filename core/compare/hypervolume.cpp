#include "core/compare/hypervolume.h"

#include <algorithm>

namespace sn {

double hypervolume(std::vector<FrontPoint> points, const FrontPoint& reference) {
  points.erase(std::remove_if(points.begin(), points.end(),
                              [&](const FrontPoint& p) {
                                return !(p.cost < reference.cost &&
                                         p.accuracy > reference.accuracy);
                              }),
               points.end());
  std::sort(points.begin(), points.end(),
            [](const FrontPoint& a, const FrontPoint& b) { return a.cost < b.cost; });
  // Sweep by cost: between two consecutive costs the dominated height is the best accuracy
  // reached at or below the lower one.
  double area = 0;
  double best = reference.accuracy;
  for (size_t i = 0; i < points.size(); ++i) {
    best = std::max(best, points[i].accuracy);
    const double next = i + 1 < points.size() ? points[i + 1].cost : reference.cost;
    area += (next - points[i].cost) * (best - reference.accuracy);
  }
  return area;
}

}  // namespace sn
