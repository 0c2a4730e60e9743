#include "views/point_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sn {

int PointGrid::cellOf(double v, double lo, double span) const {
  const double t = (v - lo) / span * kCells;
  return std::clamp(static_cast<int>(std::floor(t)), 0, kCells - 1);
}

PointGrid::PointGrid(const std::vector<PlotPoint>& points, double x0, double x1, double y0, double y1)
    : x0_(x0), y0_(y0), sx_(std::max(x1 - x0, 1e-12)), sy_(std::max(y1 - y0, 1e-12)) {
  // Counting sort by cell: two passes, no per-cell vectors.
  start_.assign(static_cast<size_t>(kCells) * kCells + 1, 0);
  std::vector<uint32_t> cell(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    cell[i] = static_cast<uint32_t>(cellOf(points[i].y, y0_, sy_) * kCells + cellOf(points[i].x, x0_, sx_));
    ++start_[cell[i] + 1];
  }
  for (size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
  order_.resize(points.size());
  std::vector<uint32_t> next(start_.begin(), start_.end() - 1);
  for (size_t i = 0; i < points.size(); ++i) order_[next[cell[i]]++] = static_cast<uint32_t>(i);
}

long PointGrid::nearest(const std::vector<PlotPoint>& points, double x, double y, double radius) const {
  if (order_.empty()) return -1;
  const double ux = (x - x0_) / sx_, uy = (y - y0_) / sy_;
  const int cx = std::clamp(static_cast<int>(std::floor(ux * kCells)), -1, kCells);
  const int cy = std::clamp(static_cast<int>(std::floor(uy * kCells)), -1, kCells);
  const int rings = std::min(kCells, static_cast<int>(std::ceil(radius * kCells)) + 1);
  long best = -1;
  double bestD = radius * radius;
  for (int r = 0; r <= rings; ++r) {
    // Every point of ring r is at least (r - 1) cells away: stop once that beats the best.
    const double reach = std::max(0, r - 1) / static_cast<double>(kCells);
    if (best >= 0 && reach * reach > bestD) break;
    for (int gy = cy - r; gy <= cy + r; ++gy) {
      if (gy < 0 || gy >= kCells) continue;
      const bool edgeRow = gy == cy - r || gy == cy + r;
      for (int gx = cx - r; gx <= cx + r; gx += (edgeRow || r == 0) ? 1 : 2 * r) {
        if (gx < 0 || gx >= kCells) continue;
        const size_t c = static_cast<size_t>(gy) * kCells + gx;
        for (uint32_t k = start_[c]; k < start_[c + 1]; ++k) {
          const PlotPoint& p = points[order_[k]];
          const double dx = (p.x - x0_) / sx_ - ux, dy = (p.y - y0_) / sy_ - uy;
          const double d = dx * dx + dy * dy;
          if (d <= bestD) bestD = d, best = order_[k];
        }
      }
    }
  }
  return best;
}

}  // namespace sn
