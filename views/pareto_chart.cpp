#include "views/pareto_chart.h"

#include <QChart>
#include <QGuiApplication>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <limits>
#include <unordered_set>

namespace sn {

ParetoChart::ParetoChart(QWidget* parent) : QChartView(parent) {
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  // On the right, one marker a line: at the bottom seven names share one line and are cut
  // ("evaluate...", "best und...").
  chart->legend()->setAlignment(Qt::AlignRight);
  chart->legend()->setShowToolTips(true);
  setChart(chart);
  setRenderHint(QPainter::Antialiasing, false);
  xAxis_ = new QValueAxis;
  yAxis_ = new QValueAxis;
  yAxis_->setTitleText("test accuracy (%)");
  chart->addAxis(xAxis_, Qt::AlignBottom);
  chart->addAxis(yAxis_, Qt::AlignLeft);
  setMinimumSize(360, 260);
}

bool ParetoChart::openGlUsable() {
  // Qt Charts' OpenGL series need a GL context, which the offscreen/minimal platforms (tests,
  // screenshots) do not give; there the plain raster series draw the same points.
  const QString platform = QGuiApplication::platformName();
  return platform != "offscreen" && platform != "minimal" && qEnvironmentVariableIsEmpty("SN_NO_OPENGL");
}

void ParetoChart::setData(const QString& xTitle, const std::vector<Group>& groups,
                          std::vector<PlotPoint> points, const std::vector<size_t>& front) {
  QChart* c = chart();
  c->removeAllSeries();
  groups_.clear();
  groupFronts_.clear();
  points_ = std::move(points);
  indexOf_.clear();
  for (size_t i = 0; i < points_.size(); ++i) indexOf_.emplace(points_[i].id, i);
  const QRectF box = bounds();
  xAxis_->setTitleText(xTitle);
  const bool gl = openGlUsable();
  std::vector<QList<QPointF>> byGroup(groups.size());
  std::vector<int> counts(groups.size(), 0);
  for (const PlotPoint& p : points_) ++counts.at(p.group);
  // Without OpenGL every scatter point is a graphics item: past a few thousand the view
  // crawls. There one point per group per 2x2-pixel cell is drawn, which looks the same.
  const bool thin = !gl && points_.size() > kRasterLimit;
  const double sx = std::max(box.width(), 1e-12), sy = std::max(box.height(), 1e-12);
  std::unordered_set<int64_t> cells;
  for (const PlotPoint& p : points_) {
    if (thin) {
      const int64_t cx = static_cast<int64_t>((p.x - box.left()) / sx * 400);
      const int64_t cy = static_cast<int64_t>((p.y - box.top()) / sy * 300);
      if (!cells.insert((static_cast<int64_t>(p.group) * 1000 + cx) * 1000 + cy).second) continue;
    }
    byGroup.at(p.group).append(QPointF(p.x, p.y));
  }
  displayed_ = 0;
  for (const auto& g : byGroup) displayed_ += g.size();
  for (size_t g = 0; g < groups.size(); ++g) {
    auto* s = new QScatterSeries;
    s->setName(groups[g].countInLegend ? groups[g].name + " (" + QString::number(counts[g]) + ")"
                                       : groups[g].name);
    s->setColor(groups[g].color);
    s->setBorderColor(groups[g].color);
    s->setMarkerSize(6);
    s->setUseOpenGL(gl);
    s->replace(byGroup[g]);
    c->addSeries(s);
    s->attachAxis(xAxis_);
    s->attachAxis(yAxis_);
    connect(s, &QScatterSeries::clicked, this, [this](const QPointF& v) {
      if (const PlotPoint* p = nearest(v)) Q_EMIT subnetClicked(p->id);
    });
    connect(s, &QScatterSeries::hovered, this, [this](const QPointF& v, bool state) {
      const PlotPoint* p = state ? nearest(v) : nullptr;
      if (p && tooltip_) QToolTip::showText(QCursor::pos(), tooltip_(p->id), this);
      if (!p) QToolTip::hideText();
    });
    groups_.push_back(s);
  }
  front_ = new QLineSeries;
  front_->setName("Pareto front");
  front_->setPen(QPen(QColor(20, 20, 20), 2));
  for (size_t i : front) front_->append(points_[i].x, points_[i].y);
  c->addSeries(front_);
  front_->attachAxis(xAxis_);
  front_->attachAxis(yAxis_);
  for (QLegendMarker* m : c->legend()->markers(front_)) m->setVisible(!front.empty());
  selectedMark_ = new QScatterSeries;
  selectedMark_->setName("selected");
  selectedMark_->setMarkerSize(16);
  selectedMark_->setColor(Qt::transparent);
  selectedMark_->setBorderColor(QColor(0, 90, 255));
  selectedMark_->setPen(QPen(QColor(0, 90, 255), 3));
  highlightMark_ = new QScatterSeries;
  highlightMark_->setName("best under the limits");
  highlightMark_->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  highlightMark_->setMarkerSize(14);
  highlightMark_->setColor(QColor(255, 200, 0));
  highlightMark_->setBorderColor(Qt::black);
  for (QScatterSeries* s : {selectedMark_, highlightMark_}) {
    c->addSeries(s);
    s->attachAxis(xAxis_);
    s->attachAxis(yAxis_);
  }
  const double dx = std::max(box.width() * 0.05, 1e-6), dy = std::max(box.height() * 0.05, 0.05);
  xAxis_->setRange(box.left() - dx, box.right() + dx);
  yAxis_->setRange(box.top() - dy, box.bottom() + dy);
  xAxis_->applyNiceNumbers();  // ticks at round values (0.5, 1, 1.5 M), not at the data's ends
  yAxis_->applyNiceNumbers();
  mark(selectedMark_, selected_);
  mark(highlightMark_, highlighted_);
}

void ParetoChart::setGroupFronts(const std::vector<std::vector<size_t>>& fronts) {
  for (size_t g = 0; g < fronts.size() && g < groups_.size(); ++g) {
    auto* line = new QLineSeries;
    line->setName(groups_[g]->name() + " front");
    line->setPen(QPen(groups_[g]->color().darker(130), 2.5));
    for (size_t i : fronts[g]) line->append(points_.at(i).x, points_.at(i).y);
    chart()->addSeries(line);
    line->attachAxis(xAxis_);
    line->attachAxis(yAxis_);
    groupFronts_.push_back(line);
    // The scatter's legend entry already names the run in this colour.
    for (QLegendMarker* m : chart()->legend()->markers(line)) m->setVisible(false);
  }
  // Compare mode marks no single subnet.
  for (QScatterSeries* s : {selectedMark_, highlightMark_}) {
    for (QLegendMarker* m : chart()->legend()->markers(s)) m->setVisible(false);
  }
}

void ParetoChart::mark(QScatterSeries* series, qint64 id) {
  if (!series) return;
  QList<QPointF> at;
  if (const PlotPoint* p = point(id)) at.append(QPointF(p->x, p->y));
  series->replace(at);
}

void ParetoChart::setSelected(qint64 id) {
  selected_ = id;
  mark(selectedMark_, id);
}

void ParetoChart::setHighlighted(qint64 id) {
  if (id == highlighted_) return;
  highlighted_ = id;
  mark(highlightMark_, id);
}

const PlotPoint* ParetoChart::point(qint64 id) const {
  const auto it = indexOf_.find(id);
  return it == indexOf_.end() ? nullptr : &points_[it->second];
}

QRectF ParetoChart::bounds() const {
  if (points_.empty()) return QRectF(0, 0, 1, 1);
  double x0 = points_[0].x, x1 = x0, y0 = points_[0].y, y1 = y0;
  for (const PlotPoint& p : points_) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

int ParetoChart::seriesCount() const { return static_cast<int>(groups_.size()); }

qsizetype ParetoChart::frontCount() const { return front_ ? front_->count() : 0; }

const PlotPoint* ParetoChart::nearest(const QPointF& v) const {
  // In screen-relative units, so MACs and percent weigh alike.
  const double sx = std::max(xAxis_->max() - xAxis_->min(), 1e-12);
  const double sy = std::max(yAxis_->max() - yAxis_->min(), 1e-12);
  const PlotPoint* best = nullptr;
  double bestD = std::numeric_limits<double>::max();
  for (const PlotPoint& p : points_) {
    const double dx = (p.x - v.x()) / sx, dy = (p.y - v.y()) / sy;
    const double d = dx * dx + dy * dy;
    if (d < bestD) bestD = d, best = &p;
  }
  return best;
}

}  // namespace sn
