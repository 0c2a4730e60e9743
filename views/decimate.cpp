#include "views/decimate.h"

#include <algorithm>

namespace sn {

QList<QPointF> decimateMinMax(const QVector<QPointF>& points, double xMin, double xMax,
                              int buckets) {
  const auto byX = [](const QPointF& p, double x) { return p.x() < x; };
  auto first = std::lower_bound(points.begin(), points.end(), xMin, byX);
  auto last = std::lower_bound(first, points.end(), xMax,
                               [](const QPointF& p, double x) { return p.x() <= x; });
  if (first != points.begin()) --first;
  if (last != points.end()) ++last;
  const qsizetype n = last - first;
  QList<QPointF> out;
  if (n <= 2 * static_cast<qsizetype>(buckets) + 2 || buckets <= 0) {
    out.reserve(n);
    for (auto it = first; it != last; ++it) out.append(*it);
    return out;
  }
  out.reserve(2 * buckets + 2);
  const double x0 = first->x();
  const double width = std::max((last - 1)->x() - x0, 1e-12) / buckets;
  auto it = first;
  while (it != last) {
    const int bucket = std::min(static_cast<int>((it->x() - x0) / width), buckets - 1);
    auto lo = it, hi = it;
    for (; it != last && std::min(static_cast<int>((it->x() - x0) / width), buckets - 1) == bucket;
         ++it) {
      if (it->y() < lo->y()) lo = it;
      if (it->y() > hi->y()) hi = it;
    }
    if (lo == hi) {
      out.append(*lo);
    } else {
      out.append(lo < hi ? *lo : *hi);
      out.append(lo < hi ? *hi : *lo);
    }
  }
  return out;
}

}  // namespace sn
