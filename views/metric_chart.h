#pragma once
#include <QChartView>
#include <QColor>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QTimer>
#include <QVector>

QT_BEGIN_NAMESPACE
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace sn {

// One live line chart (the only Qt Charts code besides its users' declarations): keeps every
// point of every series, draws a min/max-decimated copy of the visible x range, redrawn at
// most every 50 ms however fast points arrive. Rubber-band zoom (left drag), wheel zoom,
// pan (right drag or arrow keys), double-click to follow the data again, hover for values.
class MetricChart : public QChartView {
  Q_OBJECT
 public:
  MetricChart(const QString& title, const QString& yTitle, QWidget* parent = nullptr);

  void addSeries(const QString& key, const QString& label, const QColor& color,
                 bool markers = false);
  void setXTitle(const QString& title);
  void setData(const QString& key, QVector<QPointF> points);
  // Points must come in increasing x after those already held (a live series).
  void append(const QString& key, const QVector<QPointF>& points);
  void clearData();
  // Removes every series (the compare view's set of runs changed).
  void removeAllSeries();
  int seriesCount() const { return static_cast<int>(lines_.size()); }

  qsizetype pointCount(const QString& key) const;      // held
  qsizetype displayedCount(const QString& key) const;  // drawn after decimation
  bool zoomed() const { return zoomed_; }
  // Back to following the data (the whole x range, y fitted).
  void resetZoom();
  // Redraws now instead of at the next tick (tests, screenshots).
  void refreshNow();

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Line {
    QLineSeries* series = nullptr;
    QString label;
    QVector<QPointF> points;
  };
  void scheduleRefresh();
  void refresh();
  void fitY(double xMin, double xMax);
  void zoomX(double factor, double anchorX);
  void panBy(double dxPixels, double dyPixels);
  void showHover(const Line& line, const QPointF& at, bool state);

  QMap<QString, Line> lines_;
  QValueAxis* xAxis_ = nullptr;
  QValueAxis* yAxis_ = nullptr;
  QTimer refreshTimer_;
  bool zoomed_ = false;
  bool panning_ = false;
  QPoint lastPan_;
};

}  // namespace sn
