#pragma once
#include <QWidget>

#include <vector>

#include "db/records.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
class QScatterSeries;
class QTableWidget;
QT_END_NAMESPACE

namespace sn {

// The project's latency lookup tables: pick one (device, batch, input), see each block
// configuration's measured time, and the table's predictions against whole subnets measured
// end to end (a scatter around the y = x line, with the share within 10%).
class LatencyView : public QWidget {
  Q_OBJECT
 public:
  explicit LatencyView(QWidget* parent = nullptr);

  void setTables(std::vector<LatencyTableRecord> tables);
  int tableCount() const { return static_cast<int>(tables_.size()); }
  QTableWidget* entries() const { return entries_; }
  QLabel* summary() const { return summary_; }
  int checkPointCount() const;

 private:
  void showTable(int index);

  std::vector<LatencyTableRecord> tables_;
  QComboBox* choice_ = nullptr;
  QLabel* summary_ = nullptr;
  QTableWidget* entries_ = nullptr;
  QChartView* chartView_ = nullptr;
  QScatterSeries* checks_ = nullptr;
};

}  // namespace sn
