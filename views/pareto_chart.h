#pragma once
#include <QChartView>
#include <QColor>
#include <QImage>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

#include "views/plot_point.h"
#include "views/scatter_data.h"

QT_BEGIN_NAMESPACE
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace sn {

class LatestOnlyRunner;

// The Pareto scatter (Qt Charts): every subnet of a run, coloured by group, the front as a
// line, the selected and the highlighted (best under the sliders) subnets marked. Up to
// rasterLimit() points each is a chart item (one series per group); above it the points are
// a density image rendered off the UI thread, redrawn when the plot's size changes, with the
// front and the marks as items on top. Hover shows the nearest subnet's tooltip, click
// emits it, both through the data's spatial index.
class ParetoChart : public QChartView {
  Q_OBJECT
 public:
  explicit ParetoChart(QWidget* parent = nullptr);
  ~ParetoChart() override;

  using Group = ScatterGroup;
  // Prepared data, possibly on a worker (a million points): cheap on the UI thread.
  void setData(std::shared_ptr<const ScatterData> data);
  // Small sets (the compare view's samples): prepared here.
  void setData(const QString& xTitle, const std::vector<Group>& groups, std::vector<PlotPoint> points,
               const std::vector<size_t>& front);
  // One front line per group, in the group's colour (the compare view: a front per run).
  // Indices into the points given to setData; call after it.
  void setGroupFronts(const std::vector<std::vector<size_t>>& fronts);
  int groupFrontCount() const { return static_cast<int>(groupFronts_.size()); }
  void setTooltipText(std::function<QString(qint64)> text) { tooltip_ = std::move(text); }
  void setSelected(qint64 id);     // 0: none
  void setHighlighted(qint64 id);  // 0: none
  qint64 highlighted() const { return highlighted_; }
  qint64 selected() const { return selected_; }

  int seriesCount() const;
  qsizetype pointCount() const { return data_ ? static_cast<qsizetype>(data_->points.size()) : 0; }
  const PlotPoint* point(qint64 id) const;  // nullptr when the subnet is not plotted
  QRectF dataBounds() const { return data_ ? data_->box : QRectF(0, 0, 1, 1); }
  qsizetype frontCount() const;
  // Points drawn: as items, or in the density image once it is there.
  qsizetype displayedCount() const;
  bool densityMode() const { return densityMode_; }
  // A density image is being rendered for the current data or size.
  bool rendering() const;
  const QImage& densityImage() const { return density_; }
  // The subnet under a point of the widget (within a few pixels), for hover and click.
  const PlotPoint* pointAt(const QPoint& widgetPos) const;
  // Points drawn as chart items at most: 20k as OpenGL series; without OpenGL (offscreen,
  // minimal) each point is a graphics item, and 4k of them took the UI thread 120 ms.
  static size_t rasterLimit();
  static bool openGlUsable();

 Q_SIGNALS:
  void subnetClicked(qint64 id);

 protected:
  void drawBackground(QPainter* painter, const QRectF& rect) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  void mark(QScatterSeries* series, qint64 id);
  void addGroupSeries();
  void addFrontAndMarks();
  void requestDensity();

  std::shared_ptr<const ScatterData> data_;
  std::vector<QScatterSeries*> groups_;
  QLineSeries* front_ = nullptr;
  std::vector<QLineSeries*> groupFronts_;
  QScatterSeries* selectedMark_ = nullptr;
  QScatterSeries* highlightMark_ = nullptr;
  QValueAxis* xAxis_ = nullptr;
  QValueAxis* yAxis_ = nullptr;
  std::function<QString(qint64)> tooltip_;
  qint64 selected_ = 0;
  qint64 highlighted_ = 0;
  qsizetype displayed_ = 0;
  bool densityMode_ = false;
  QImage density_;  // for data_ at densityFor_
  const ScatterData* densityFor_ = nullptr;
  LatestOnlyRunner* densityJob_ = nullptr;
};

}  // namespace sn
