#include "views/scatter_data.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sn {

AxisRange AxisRange::nice(double lo, double hi, double pad, double minPad) {
  const double margin = std::max((hi - lo) * pad, minPad);
  lo -= margin;
  hi += margin;
  // A step of 1, 2, 2.5 or 5 x 10^k giving 4-8 intervals.
  const double raw = (hi - lo) / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  AxisRange r;
  r.min = std::floor(lo / step) * step;
  r.max = std::ceil(hi / step) * step;
  r.ticks = static_cast<int>(std::lround((r.max - r.min) / step)) + 1;
  r.labelFormat = labelFormatFor(step);
  return r;
}

QString AxisRange::labelFormatFor(double step) {
  const double magnitude = std::pow(10, std::floor(std::log10(step) + 1e-9));
  const bool quarter = std::abs(step / magnitude - 2.5) < 1e-6;
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)) + (quarter ? 1 : 0));
  return QString("%.%1f").arg(decimals);
}

std::shared_ptr<const ScatterData> ScatterData::build(QString xTitle,
                                                      std::vector<ScatterGroup> groups,
                                                      std::vector<PlotPoint> points,
                                                      std::vector<size_t> front,
                                                      const QRectF* extent) {
  auto d = std::make_shared<ScatterData>();
  d->xTitle = std::move(xTitle);
  d->groups = std::move(groups);
  d->points = std::move(points);
  d->front = std::move(front);
  d->counts.assign(d->groups.size(), 0);
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  for (size_t i = 0; i < d->points.size(); ++i) {
    const PlotPoint& p = d->points[i];
    ++d->counts.at(static_cast<size_t>(p.group));
    if (i == 0) x0 = x1 = p.x, y0 = y1 = p.y;
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  if (extent) x0 = extent->left(), x1 = extent->right(), y0 = extent->top(), y1 = extent->bottom();
  d->box = QRectF(QPointF(x0, y0), QPointF(x1, y1));
  d->x = AxisRange::nice(x0, x1, 0.05, 1e-6);
  d->y = AxisRange::nice(y0, y1, 0.05, 0.05);
  d->grid = PointGrid(d->points, d->x.min, d->x.max, d->y.min, d->y.max);
  const auto byId = [&](size_t a, size_t b) { return d->points[a].id < d->points[b].id; };
  bool sorted = true;
  for (size_t i = 1; i < d->points.size() && sorted; ++i) sorted = byId(i - 1, i);
  if (!sorted) {
    d->byId.resize(d->points.size());
    std::iota(d->byId.begin(), d->byId.end(), 0u);
    std::sort(d->byId.begin(), d->byId.end(), byId);
  }
  return d;
}

const PlotPoint* ScatterData::find(int64_t id) const {
  const auto idAt = [&](size_t k) { return points[byId.empty() ? k : byId[k]].id; };
  size_t lo = 0, hi = points.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (idAt(mid) < id) lo = mid + 1;
    else hi = mid;
  }
  if (lo == points.size() || idAt(lo) != id) return nullptr;
  return &points[byId.empty() ? lo : byId[lo]];
}

const PlotPoint* ScatterData::nearest(double px, double py, double radius) const {
  const long i = grid.nearest(points, px, py, radius);
  return i < 0 ? nullptr : &points[static_cast<size_t>(i)];
}

QImage renderDensity(const ScatterData& data, QSize size, const std::atomic<bool>& cancelled) {
  const int w = std::max(size.width(), 8), h = std::max(size.height(), 8);
  std::vector<uint32_t> count(static_cast<size_t>(w) * h, 0);
  std::vector<int16_t> group(count.size(), -1);
  const double sx = w / std::max(data.x.max - data.x.min, 1e-12);
  const double sy = h / std::max(data.y.max - data.y.min, 1e-12);
  for (size_t i = 0; i < data.points.size(); ++i) {
    if ((i & 0xFFFF) == 0 && cancelled) return {};
    const PlotPoint& p = data.points[i];
    const int px = static_cast<int>((p.x - data.x.min) * sx);
    const int py = static_cast<int>((data.y.max - p.y) * sy);
    if (px < 0 || px >= w || py < 0 || py >= h) continue;
    const size_t at = static_cast<size_t>(py) * w + px;
    ++count[at];
    group[at] = std::max<int16_t>(group[at], static_cast<int16_t>(p.group));
  }
  const uint32_t most = *std::max_element(count.begin(), count.end());
  const double scale = 1 / std::log(std::max<uint32_t>(most, 2));
  QImage image(w, h, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  // Sparse pixels first, dense ones over them: the darkest (busiest) dot stays visible.
  std::vector<uint32_t> order;
  for (uint32_t at = 0; at < count.size(); ++at) {
    if (count[at]) order.push_back(at);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return count[a] < count[b]; });
  for (size_t k = 0; k < order.size(); ++k) {
    if ((k & 0xFFFF) == 0 && cancelled) return {};
    const uint32_t at = order[k];
    const QColor base = data.groups.at(static_cast<size_t>(group[at])).color;
    // One subnet: the group's colour; the busiest pixel: 45% darker.
    const double t = std::log(count[at]) * scale;
    const QRgb rgb = base.darker(100 + static_cast<int>(std::lround(80 * t * t))).rgb();
    const int px = static_cast<int>(at % w), py = static_cast<int>(at / w);
    for (int y = std::max(py - 1, 0); y <= std::min(py + 1, h - 1); ++y) {
      QRgb* line = reinterpret_cast<QRgb*>(image.scanLine(y));
      for (int x = std::max(px - 1, 0); x <= std::min(px + 1, w - 1); ++x) line[x] = rgb;
    }
  }
  return image;
}

}  // namespace sn
