#include "views/pareto_chart.h"

#include <QChart>
#include <QGuiApplication>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>

#include "views/latest_only_runner.h"

namespace sn {
namespace {

constexpr double kPickPixels = 8;  // hover and click find a subnet this close to the mouse

}  // namespace

ParetoChart::ParetoChart(QWidget* parent) : QChartView(parent) {
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  // On the right, one marker a line: at the bottom seven names share one line and are cut
  // ("evaluate...", "best und...").
  chart->legend()->setAlignment(Qt::AlignRight);
  chart->legend()->setShowToolTips(true);
  // The view paints the background, so a density image can lie under the grid and series.
  chart->setBackgroundVisible(false);
  setBackgroundBrush(Qt::white);
  setChart(chart);
  setRenderHint(QPainter::Antialiasing, false);
  setMouseTracking(true);
  xAxis_ = new QValueAxis;
  yAxis_ = new QValueAxis;
  yAxis_->setTitleText("test accuracy (%)");
  chart->addAxis(xAxis_, Qt::AlignBottom);
  chart->addAxis(yAxis_, Qt::AlignLeft);
  setMinimumSize(360, 260);
  densityJob_ = new LatestOnlyRunner(this);
  connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF& area) {
    if (densityMode_ && density_.size() != area.size().toSize()) requestDensity();
  });
}

ParetoChart::~ParetoChart() = default;

bool ParetoChart::openGlUsable() {
  // Qt Charts' OpenGL series need a GL context, which the offscreen/minimal platforms (tests,
  // screenshots) do not give; there the plain raster series draw the same points.
  const QString platform = QGuiApplication::platformName();
  return platform != "offscreen" && platform != "minimal" && qEnvironmentVariableIsEmpty("SN_NO_OPENGL");
}

size_t ParetoChart::rasterLimit() { return openGlUsable() ? 20000 : 1000; }

void ParetoChart::setData(const QString& xTitle, const std::vector<Group>& groups,
                          std::vector<PlotPoint> points, const std::vector<size_t>& front) {
  setData(ScatterData::build(xTitle, groups, std::move(points), front));
}

void ParetoChart::setData(std::shared_ptr<const ScatterData> data) {
  chart()->removeAllSeries();
  groups_.clear();
  groupFronts_.clear();
  data_ = std::move(data);
  densityMode_ = data_->points.size() > rasterLimit();
  xAxis_->setTitleText(data_->xTitle);
  addGroupSeries();
  addFrontAndMarks();
  // Round ticks, computed with the data: the density image is drawn for exactly this range.
  for (auto [axis, range] : {std::pair{xAxis_, &data_->x}, std::pair{yAxis_, &data_->y}}) {
    axis->setRange(range->min, range->max);
    axis->setTickCount(range->ticks);
    axis->setLabelFormat(range->labelFormat);
  }
  mark(selectedMark_, selected_);
  mark(highlightMark_, highlighted_);
  if (densityMode_) {
    requestDensity();
  } else {
    densityJob_->cancel();
    density_ = QImage();
    densityFor_ = nullptr;
  }
  viewport()->update();
}

void ParetoChart::addGroupSeries() {
  const bool gl = openGlUsable();
  std::vector<QList<QPointF>> byGroup(data_->groups.size());
  if (!densityMode_) {
    for (const PlotPoint& p : data_->points) byGroup.at(static_cast<size_t>(p.group)).append(QPointF(p.x, p.y));
  }
  displayed_ = densityMode_ ? 0 : static_cast<qsizetype>(data_->points.size());
  for (size_t g = 0; g < data_->groups.size(); ++g) {
    const Group& group = data_->groups[g];
    // In density mode the series stay empty: they name the groups in the legend.
    auto* s = new QScatterSeries;
    s->setName(group.countInLegend ? group.name + " (" + QString::number(data_->counts[g]) + ")" : group.name);
    s->setColor(group.color);
    s->setBorderColor(group.color);
    s->setMarkerSize(6);
    s->setUseOpenGL(gl && !densityMode_);
    s->replace(byGroup[g]);
    chart()->addSeries(s);
    s->attachAxis(xAxis_);
    s->attachAxis(yAxis_);
    groups_.push_back(s);
  }
}

void ParetoChart::addFrontAndMarks() {
  QChart* c = chart();
  front_ = new QLineSeries;
  front_->setName("Pareto front");
  front_->setPen(QPen(QColor(20, 20, 20), 2));
  for (size_t i : data_->front) front_->append(data_->points[i].x, data_->points[i].y);
  c->addSeries(front_);
  front_->attachAxis(xAxis_);
  front_->attachAxis(yAxis_);
  for (QLegendMarker* m : c->legend()->markers(front_)) m->setVisible(!data_->front.empty());
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
}

void ParetoChart::requestDensity() {
  const std::shared_ptr<const ScatterData> data = data_;
  QSize size = chart()->plotArea().size().toSize();
  if (size.width() < 50 || size.height() < 50) size = QSize(640, 420);  // not laid out yet
  densityJob_->request([this, data, size](const std::atomic<bool>& superseded) -> LatestOnlyRunner::Apply {
    QImage image = renderDensity(*data, size, superseded);
    return [this, data, image = std::move(image)] {
      if (data != data_) return;
      density_ = image;
      densityFor_ = data.get();
      displayed_ = static_cast<qsizetype>(data->points.size());
      viewport()->update();
    };
  });
}

bool ParetoChart::rendering() const { return densityJob_->busy(); }

qsizetype ParetoChart::displayedCount() const {
  return densityMode_ && densityFor_ != data_.get() ? 0 : displayed_;
}

void ParetoChart::drawBackground(QPainter* painter, const QRectF& rect) {
  QChartView::drawBackground(painter, rect);
  if (!densityMode_ || density_.isNull() || densityFor_ != data_.get()) return;
  // Scaled while a resize waits for its own render; the same size draws pixel for pixel.
  const QRectF area = chart()->mapToScene(chart()->plotArea()).boundingRect();
  painter->drawImage(area, density_);
}

void ParetoChart::setGroupFronts(const std::vector<std::vector<size_t>>& fronts) {
  for (size_t g = 0; g < fronts.size() && g < groups_.size(); ++g) {
    auto* line = new QLineSeries;
    line->setName(groups_[g]->name() + " front");
    line->setPen(QPen(groups_[g]->color().darker(130), 2.5));
    for (size_t i : fronts[g]) line->append(data_->points.at(i).x, data_->points.at(i).y);
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

const PlotPoint* ParetoChart::point(qint64 id) const { return data_ ? data_->find(id) : nullptr; }

int ParetoChart::seriesCount() const { return static_cast<int>(groups_.size()); }

qsizetype ParetoChart::frontCount() const { return front_ ? front_->count() : 0; }

const PlotPoint* ParetoChart::pointAt(const QPoint& widgetPos) const {
  if (!data_) return nullptr;
  const QRectF area = chart()->plotArea();
  if (area.width() < 1 || area.height() < 1) return nullptr;
  const QPointF value = chart()->mapToValue(chart()->mapFromScene(mapToScene(widgetPos)));
  // The radius in the unit square the grid measures in: pixels over the plot's width.
  return data_->nearest(value.x(), value.y(), kPickPixels / std::min(area.width(), area.height()));
}

void ParetoChart::mouseMoveEvent(QMouseEvent* event) {
  QChartView::mouseMoveEvent(event);
  const PlotPoint* p = pointAt(event->position().toPoint());
  if (p && tooltip_) QToolTip::showText(event->globalPosition().toPoint(), tooltip_(p->id), this);
  if (!p) QToolTip::hideText();
}

void ParetoChart::mousePressEvent(QMouseEvent* event) {
  QChartView::mousePressEvent(event);
  if (event->button() != Qt::LeftButton) return;
  if (const PlotPoint* p = pointAt(event->position().toPoint())) Q_EMIT subnetClicked(p->id);
}

}  // namespace sn
