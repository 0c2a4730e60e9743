#pragma once
#include <QAbstractTableModel>

#include <memory>
#include <optional>

#include "db/records.h"
#include "views/subnet_columns.h"
#include "views/subnet_table_order.h"

namespace sn {

// A run's subnets as a table: id, source, epoch, accuracy, MACs, params, latency, arch, in
// the rows of a SubnetTableOrder (filtered and sorted on a worker). A click on a header
// asks for a new order (sortRequested); the view swaps it in with setOrder.
class SubnetTableModel : public QAbstractTableModel, public SubnetColumns {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;

  void setOrder(std::shared_ptr<const SubnetTableOrder> order);
  const SubnetTableOrder* order() const { return order_.get(); }
  // The subnet index (into the snapshot) of a table row; nullopt when out of range.
  std::optional<size_t> subnetIndexAt(int row) const;
  int64_t idAt(int row) const;  // 0 when out of range
  int rowOf(int64_t id) const;  // -1: not in the table

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  void sort(int column, Qt::SortOrder order) override;
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }

 Q_SIGNALS:
  void sortRequested(int column, Qt::SortOrder order);

 private:
  std::shared_ptr<const SubnetTableOrder> order_;
  int sortColumn_ = Accuracy;
  Qt::SortOrder sortOrder_ = Qt::DescendingOrder;
};

}  // namespace sn
