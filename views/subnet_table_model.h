#pragma once
#include <QAbstractTableModel>

#include <vector>

#include "db/records.h"

namespace sn {

// A run's subnets as a table: id, source, epoch, accuracy, MACs, params, latency, arch.
// Qt::UserRole gives the raw number of each cell, which is what a proxy sorts by.
class SubnetTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Source, Epoch, Accuracy, Macs, SparseMacs, Sparsity, Params, Latency, ArchText, ColumnCount };

  using QAbstractTableModel::QAbstractTableModel;

  void setSubnets(const std::vector<SubnetRecord>* subnets);
  const SubnetRecord* subnetAt(int row) const;
  int rowOf(int64_t id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  const std::vector<SubnetRecord>* subnets_ = nullptr;  // owned by the page
};

}  // namespace sn
