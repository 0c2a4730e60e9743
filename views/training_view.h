#pragma once
#include <QMap>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

#include "db/records.h"

class QComboBox;
class QLabel;

namespace sn {

class MetricChart;

// The training curves of one run: loss (largest / smallest / random subnets), accuracy
// (train and test), learning rate and throughput, by step or by epoch; for a pruning run
// also its sparsity against the schedule and the mask dynamics (pruned / re-activated). Holds every sample it
// is given; the charts draw decimated copies.
class TrainingView : public QWidget {
  Q_OBJECT
 public:
  enum class XAxis { Step, Epoch };

  explicit TrainingView(QWidget* parent = nullptr);

  // Replaces everything shown with `rows` of run `runId` (0: nothing).
  void showRun(qint64 runId, const std::vector<MetricSample>& rows);
  // Adds rows that arrived after the last shown (same run).
  void appendRows(const std::vector<MetricSample>& rows);
  void setXAxis(XAxis axis);
  XAxis xAxis() const { return xAxis_; }
  void setCaption(const QString& text);

  qint64 runId() const { return runId_; }
  // Samples held for a metric key ("loss/largest", ...), and the chart that draws it.
  qsizetype sampleCount(const QString& key) const;
  MetricChart* chartFor(const QString& key) const;
  QList<MetricChart*> charts() const;
  void refreshNow();

 private:
  struct Sample {
    double step;
    double epoch;
    double value;
  };
  void addChart(MetricChart* chart, const QList<QPair<QString, QString>>& keyLabels);
  QVector<QPointF> pointsOf(const QVector<Sample>& samples) const;
  void rebuildCharts();

  QMap<QString, QVector<Sample>> samples_;
  QMap<QString, MetricChart*> chartOfKey_;
  QList<MetricChart*> charts_;
  QList<MetricChart*> pruningCharts_;  // shown once the run has pruning rows
  QComboBox* xCombo_ = nullptr;
  QLabel* caption_ = nullptr;
  XAxis xAxis_ = XAxis::Step;
  qint64 runId_ = 0;
};

}  // namespace sn
