#pragma once
#include <QChartView>
#include <QColor>
#include <QString>
#include <QVector>

#include <functional>
#include <unordered_map>
#include <vector>

QT_BEGIN_NAMESPACE
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace sn {

// One subnet on the accuracy/cost plane.
struct PlotPoint {
  double x = 0;  // MACs (M) or latency (ms)
  double y = 0;  // accuracy (%)
  int group = 0; // colour group: a source or an epoch
  qint64 id = 0;
};

// The Pareto scatter (Qt Charts): every subnet of a run, one OpenGL-backed scatter series per
// colour group (fluid at 100k points), the front as a line, the selected and the highlighted
// (best under the sliders) subnets marked. Hover shows a tooltip, click emits the subnet.
class ParetoChart : public QChartView {
  Q_OBJECT
 public:
  explicit ParetoChart(QWidget* parent = nullptr);

  struct Group {
    QString name;
    QColor color;
    bool countInLegend = true;  // "name (points)"; off when the name says it already
  };
  void setData(const QString& xTitle, const std::vector<Group>& groups,
               std::vector<PlotPoint> points, const std::vector<size_t>& front);
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
  qsizetype pointCount() const { return static_cast<qsizetype>(points_.size()); }
  const PlotPoint* point(qint64 id) const;  // nullptr when the subnet is not plotted
  QRectF dataBounds() const { return bounds(); }
  qsizetype frontCount() const;
  qsizetype displayedCount() const { return displayed_; }  // drawn (thinned without OpenGL)
  static constexpr size_t kRasterLimit = 20000;
  static bool openGlUsable();

 Q_SIGNALS:
  void subnetClicked(qint64 id);

 private:
  const PlotPoint* nearest(const QPointF& value) const;
  void mark(QScatterSeries* series, qint64 id);
  QRectF bounds() const;  // of all points

  std::vector<PlotPoint> points_;
  std::unordered_map<qint64, size_t> indexOf_;  // id -> point: markers move on every slider step
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
};

}  // namespace sn
