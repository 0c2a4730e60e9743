#include "core/search/pareto_front.h"

#include <algorithm>
#include <numeric>

namespace sn {

std::vector<size_t> paretoFront(const std::vector<FrontPoint>& points) {
  std::vector<size_t> order(points.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Cheapest first; among equal costs the most accurate first, so a sweep that keeps every
  // point beating the best accuracy seen so far keeps exactly the non-dominated ones. Exact
  // duplicates stay in index order, as StreamingFront keeps them.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (points[a].cost != points[b].cost) return points[a].cost < points[b].cost;
    if (points[a].accuracy != points[b].accuracy) return points[a].accuracy > points[b].accuracy;
    return a < b;
  });
  std::vector<size_t> front;
  for (size_t i : order) {
    const FrontPoint& p = points[i];
    if (front.empty() || p.accuracy > points[front.back()].accuracy) {
      front.push_back(i);
    } else if (p.accuracy == points[front.back()].accuracy &&
               p.cost == points[front.back()].cost) {
      front.push_back(i);  // an exact duplicate of the last front point
    }
  }
  return front;
}

}  // namespace sn
