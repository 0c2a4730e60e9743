#pragma once
#include <QColor>
#include <QImage>
#include <QRectF>
#include <QSize>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

#include "views/plot_point.h"
#include "views/point_grid.h"

namespace sn {

struct ScatterGroup {
  QString name;
  QColor color;
  bool countInLegend = true;  // "name (points)"; off when the name says it already
};

// An axis from `min` to `max` with `ticks` ticks at round values (0.5, 1, 1.5...), and the
// printf format that labels them without noise digits.
struct AxisRange {
  double min = 0;
  double max = 1;
  int ticks = 5;
  QString labelFormat = "%.1f";
  // The data's span [lo, hi], padded by `pad` of it (at least `minPad`), out to round ticks.
  static AxisRange nice(double lo, double hi, double pad, double minPad);
  // "%.Nf" with as many decimals as ticks `step` apart need (2.5: one, 0.25: two).
  static QString labelFormatFor(double step);
};

// Everything the Pareto scatter draws, prepared off the UI thread and then only read: the
// points with their groups, the front, the axes, and the spatial index for hover and click.
// Above ParetoChart::rasterLimit() points the scatter is a density image (renderDensity), also
// made off the UI thread; below it each point is a chart item.
struct ScatterData {
  QString xTitle;
  std::vector<ScatterGroup> groups;
  std::vector<PlotPoint> points;
  std::vector<size_t> front;  // into points, by ascending cost
  std::vector<int> counts;    // points per group
  QRectF box;                 // of the points (a unit box when there are none)
  AxisRange x, y;
  PointGrid grid;
  std::vector<uint32_t> byId;  // point indices by ascending id; empty when points already are

  // `extent`, when given, spans the axes instead of the points: a preview that draws only
  // the front still gets the axes of every subnet.
  static std::shared_ptr<const ScatterData> build(QString xTitle, std::vector<ScatterGroup> groups,
                                                  std::vector<PlotPoint> points,
                                                  std::vector<size_t> front,
                                                  const QRectF* extent = nullptr);
  const PlotPoint* find(int64_t id) const;
  // The point nearest (x, y) in axis units within `radius` of the plot's width/height.
  const PlotPoint* nearest(double x, double y, double radius) const;
};

// The points as a raster of `size` pixels over the data's axes: each pixel a 3 x 3 dot in
// its group's colour (the last group on top, as the chart's series overlap), darker where
// more subnets fall. Null image when `cancelled` turns true midway.
QImage renderDensity(const ScatterData& data, QSize size, const std::atomic<bool>& cancelled);

}  // namespace sn
