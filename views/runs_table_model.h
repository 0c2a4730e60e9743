#pragma once
#include <QAbstractTableModel>

#include <vector>

#include "db/records.h"

namespace sn {

// The runs of a project as a table (id, name, status, space, started, message). Filled from
// MetricsFeed::runs(); the model runs no SQL itself.
class RunsTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;

  void setRuns(std::vector<RunRecord> runs);
  const RunRecord* runAt(int row) const;
  int rowOf(int64_t runId) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<RunRecord> runs_;
};

}  // namespace sn
