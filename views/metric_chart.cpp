#include "views/metric_chart.h"

#include <QChart>
#include <QLineSeries>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

#include "views/decimate.h"
#include "views/scatter_data.h"

namespace sn {
namespace {

// Ticks at round values inside whatever range the axis shows (its range stays the data's):
// dynamic ticks every 1, 2, 2.5 or 5 x 10^k, changed only when the step changes, which a
// growing curve does a few times a run (round ticks recomputed on every 50 ms redraw
// tripled the longest UI stall while training).
double niceStep(double lo, double hi) {
  const AxisRange nice = AxisRange::nice(lo, hi, 0, 1e-12 * std::max(1.0, std::abs(hi)));
  return (nice.max - nice.min) / std::max(nice.ticks - 1, 1);
}

void useStep(QValueAxis* axis, double step) {
  if (axis->tickInterval() == step) return;
  axis->setTickInterval(step);
  axis->setLabelFormat(AxisRange::labelFormatFor(step));
  if (axis->tickType() != QValueAxis::TicksDynamic) {
    axis->setTickAnchor(0);
    axis->setTickType(QValueAxis::TicksDynamic);
  }
}

// A larger step is set before the wider range, so the axis never lays out the new range with
// the old, finer ticks (a zoom out by 1000x would make a million tick items); a smaller one
// after it, by the rangeChanged handler.
void setRoundRange(QValueAxis* axis, double lo, double hi) {
  const double step = niceStep(lo, hi);
  if (step > axis->tickInterval()) useStep(axis, step);
  axis->setRange(lo, hi);
}

}  // namespace

namespace {

constexpr int kRefreshMs = 50;

std::pair<double, double> xBounds(const QVector<QPointF>& points) {
  if (points.isEmpty()) return {0, 0};
  return {points.front().x(), points.back().x()};
}

}  // namespace

MetricChart::MetricChart(const QString& title, const QString& yTitle, QWidget* parent)
    : QChartView(parent) {
  auto* c = new QChart();
  c->setTitle(title);
  c->setAnimationOptions(QChart::NoAnimation);
  c->legend()->setAlignment(Qt::AlignBottom);
  c->setMargins(QMargins(4, 4, 4, 4));
  xAxis_ = new QValueAxis();
  xAxis_->setLabelFormat("%g");
  yAxis_ = new QValueAxis();
  yAxis_->setTitleText(yTitle);
  yAxis_->setLabelFormat("%.3g");
  // Every range change (data, zoom, pan, the rubber band) keeps the ticks round.
  for (QValueAxis* axis : {xAxis_, yAxis_}) {
    connect(axis, &QValueAxis::rangeChanged, this, [axis](qreal lo, qreal hi) { useStep(axis, niceStep(lo, hi)); });
  }
  c->addAxis(xAxis_, Qt::AlignBottom);
  c->addAxis(yAxis_, Qt::AlignLeft);
  setChart(c);
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::HorizontalRubberBand);
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(320, 220);
  refreshTimer_.setSingleShot(true);
  refreshTimer_.setInterval(kRefreshMs);
  connect(&refreshTimer_, &QTimer::timeout, this, &MetricChart::refresh);
}

void MetricChart::addSeries(const QString& key, const QString& label, const QColor& color,
                            bool markers) {
  auto* s = new QLineSeries();
  s->setName(label);
  s->setColor(color);
  s->setPointsVisible(markers);
  chart()->addSeries(s);
  s->attachAxis(xAxis_);
  s->attachAxis(yAxis_);
  lines_.insert(key, Line{s, label, {}});
  connect(s, &QLineSeries::hovered, this, [this, key](const QPointF& at, bool state) {
    showHover(lines_[key], at, state);
  });
}

void MetricChart::setXTitle(const QString& title) { xAxis_->setTitleText(title); }

void MetricChart::setData(const QString& key, QVector<QPointF> points) {
  auto it = lines_.find(key);
  if (it == lines_.end()) return;
  it->points = std::move(points);
  scheduleRefresh();
}

void MetricChart::append(const QString& key, const QVector<QPointF>& points) {
  auto it = lines_.find(key);
  if (it == lines_.end() || points.isEmpty()) return;
  it->points += points;
  scheduleRefresh();
}

void MetricChart::clearData() {
  for (Line& l : lines_) {
    l.points.clear();
    l.series->clear();
  }
  zoomed_ = false;
  scheduleRefresh();
}

void MetricChart::removeAllSeries() {
  chart()->removeAllSeries();  // deletes the series
  lines_.clear();
  zoomed_ = false;
  scheduleRefresh();
}

qsizetype MetricChart::pointCount(const QString& key) const {
  const auto it = lines_.find(key);
  return it == lines_.end() ? 0 : it->points.size();
}

qsizetype MetricChart::displayedCount(const QString& key) const {
  const auto it = lines_.find(key);
  return it == lines_.end() ? 0 : it->series->count();
}

void MetricChart::resetZoom() {
  zoomed_ = false;
  refreshNow();
}

void MetricChart::refreshNow() {
  refreshTimer_.stop();
  refresh();
}

void MetricChart::scheduleRefresh() {
  if (!refreshTimer_.isActive()) refreshTimer_.start();
}

void MetricChart::refresh() {
  double xMin = std::numeric_limits<double>::max();
  double xMax = std::numeric_limits<double>::lowest();
  if (zoomed_) {
    xMin = xAxis_->min();
    xMax = xAxis_->max();
  } else {
    for (const Line& l : lines_) {
      if (l.points.isEmpty()) continue;
      const auto [lo, hi] = xBounds(l.points);
      xMin = std::min(xMin, lo);
      xMax = std::max(xMax, hi);
    }
    if (xMin > xMax) return;  // no data yet
    if (xMax <= xMin) xMax = xMin + 1;
  }
  // One drawn point pair per pixel column is all a screen can show.
  const int buckets = std::max(16, static_cast<int>(chart()->plotArea().width()));
  for (Line& l : lines_) l.series->replace(decimateMinMax(l.points, xMin, xMax, buckets));
  setRoundRange(xAxis_, xMin, xMax);
  fitY(xMin, xMax);
}

void MetricChart::fitY(double xMin, double xMax) {
  double lo = std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::lowest();
  for (const Line& l : lines_) {
    if (!l.series->isVisible()) continue;
    for (const QPointF& p : l.series->points()) {
      if (p.x() < xMin || p.x() > xMax || !std::isfinite(p.y())) continue;
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
    }
  }
  if (lo > hi) return;
  const double pad = hi > lo ? (hi - lo) * 0.05 : std::max(std::abs(hi) * 0.05, 1e-6);
  setRoundRange(yAxis_, lo - pad, hi + pad);
}

void MetricChart::zoomX(double factor, double anchorX) {
  const double lo = anchorX - (anchorX - xAxis_->min()) * factor;
  const double hi = anchorX + (xAxis_->max() - anchorX) * factor;
  if (hi - lo < 1e-9) return;
  zoomed_ = true;
  setRoundRange(xAxis_, lo, hi);
  scheduleRefresh();
}

void MetricChart::panBy(double dxPixels, double dyPixels) {
  const QRectF area = chart()->plotArea();
  if (area.width() <= 0 || area.height() <= 0) return;
  const double dx = -dxPixels / area.width() * (xAxis_->max() - xAxis_->min());
  const double dy = dyPixels / area.height() * (yAxis_->max() - yAxis_->min());
  zoomed_ = true;
  setRoundRange(xAxis_, xAxis_->min() + dx, xAxis_->max() + dx);
  setRoundRange(yAxis_, yAxis_->min() + dy, yAxis_->max() + dy);
  refreshTimer_.stop();
  const int buckets = std::max(16, static_cast<int>(area.width()));
  for (Line& l : lines_) {
    l.series->replace(decimateMinMax(l.points, xAxis_->min(), xAxis_->max(), buckets));
  }
}

void MetricChart::wheelEvent(QWheelEvent* event) {
  const QPointF value = chart()->mapToValue(event->position());
  zoomX(event->angleDelta().y() > 0 ? 0.8 : 1.25, value.x());
  event->accept();
}

void MetricChart::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton) {
    panning_ = true;
    lastPan_ = event->pos();
    event->accept();
    return;
  }
  QChartView::mousePressEvent(event);
}

void MetricChart::mouseMoveEvent(QMouseEvent* event) {
  if (panning_) {
    const QPoint d = event->pos() - lastPan_;
    lastPan_ = event->pos();
    panBy(d.x(), d.y());
    event->accept();
    return;
  }
  QChartView::mouseMoveEvent(event);
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
  if (panning_) {
    panning_ = false;
    event->accept();
    return;
  }
  const double before = xAxis_->max() - xAxis_->min();
  QChartView::mouseReleaseEvent(event);  // the rubber band zooms the axes
  if (std::abs((xAxis_->max() - xAxis_->min()) - before) > 1e-12) {
    zoomed_ = true;
    scheduleRefresh();
  }
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent* event) {
  resetZoom();
  event->accept();
}

void MetricChart::keyPressEvent(QKeyEvent* event) {
  const double step = chart()->plotArea().width() / 10;
  switch (event->key()) {
    case Qt::Key_Left: panBy(step, 0); break;
    case Qt::Key_Right: panBy(-step, 0); break;
    case Qt::Key_Plus: zoomX(0.8, (xAxis_->min() + xAxis_->max()) / 2); break;
    case Qt::Key_Minus: zoomX(1.25, (xAxis_->min() + xAxis_->max()) / 2); break;
    case Qt::Key_Home: resetZoom(); break;
    default: QChartView::keyPressEvent(event); return;
  }
  event->accept();
}

void MetricChart::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  scheduleRefresh();  // more or fewer pixel columns to fill
}

void MetricChart::showHover(const Line& line, const QPointF& at, bool state) {
  if (!state || line.points.isEmpty()) {
    QToolTip::hideText();
    return;
  }
  // The stored point nearest in x to where the pointer touches the line.
  auto it = std::lower_bound(line.points.begin(), line.points.end(), at.x(),
                             [](const QPointF& p, double x) { return p.x() < x; });
  if (it == line.points.end()) --it;
  if (it != line.points.begin() && std::abs((it - 1)->x() - at.x()) < std::abs(it->x() - at.x())) {
    --it;
  }
  QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2 = %3\nvalue = %4")
                                         .arg(line.label, xAxis_->titleText())
                                         .arg(it->x(), 0, 'g', 8)
                                         .arg(it->y(), 0, 'g', 6),
                     this);
}

}  // namespace sn
