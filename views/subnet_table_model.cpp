#include "views/subnet_table_model.h"

namespace sn {

void SubnetTableModel::setOrder(std::shared_ptr<const SubnetTableOrder> order) {
  // A reset costs the view nothing per row; the page selects its subnet again by id.
  beginResetModel();
  order_ = std::move(order);
  endResetModel();
}

std::optional<size_t> SubnetTableModel::subnetIndexAt(int row) const {
  if (!order_ || row < 0 || row >= static_cast<int>(order_->order.size())) return std::nullopt;
  return order_->order[static_cast<size_t>(row)];
}

int64_t SubnetTableModel::idAt(int row) const {
  const std::optional<size_t> i = subnetIndexAt(row);
  return i ? order_->snapshot->subnets.row(*i).id : 0;
}

int SubnetTableModel::rowOf(int64_t id) const {
  if (!order_ || !order_->snapshot) return -1;
  const std::optional<size_t> i = order_->snapshot->subnets.indexOf(id);
  return i ? order_->rowOf[*i] : -1;
}

int SubnetTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !order_ ? 0 : static_cast<int>(order_->order.size());
}

int SubnetTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

void SubnetTableModel::sort(int column, Qt::SortOrder order) {
  sortColumn_ = column;
  sortOrder_ = order;
  Q_EMIT sortRequested(column, order);
}

QVariant SubnetTableModel::data(const QModelIndex& index, int role) const {
  const std::optional<size_t> i = subnetIndexAt(index.row());
  if (!i) return {};
  const CompactSubnets& subnets = order_->snapshot->subnets;
  const CompactSubnets::Row& s = subnets.row(*i);
  if (role == Qt::TextAlignmentRole && index.column() != ArchText && index.column() != Source) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case Id: return QString::number(s.id);
    case Source:
      return QString(subnetSourceName(subnets.source(*i)));
    case Epoch: return s.epoch >= 0 ? QString::number(s.epoch) : QString("-");
    case Accuracy: return s.hasAccuracy() ? QString::number(100 * s.accuracy, 'f', 2) + " %" : "-";
    case Macs: return QString::number(s.macs / 1e6, 'f', 2) + " M";
    case SparseMacs: return QString::number(s.sparseMacs / 1e6, 'f', 2) + " M";
    case Sparsity: return QString::number(100 * s.sparsity, 'f', 1) + " %";
    case Params: return QString::number(s.params / 1e6, 'f', 3) + " M";
    case Latency:
      if (!s.hasLatency()) return QString("-");
      return role == Qt::ToolTipRole ? QString::fromStdString(subnets.name(s.device))
                                     : QString::number(s.latencyMs, 'f', 3) + " ms";
    case ArchText: {
      const std::string_view arch = subnets.arch(*i);
      return QString::fromUtf8(arch.data(), static_cast<qsizetype>(arch.size()));
    }
  }
  return {};
}

QVariant SubnetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"id", "source", "epoch", "accuracy", "MACs", "sparse MACs", "sparsity", "params", "latency", "arch"};
  return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

}  // namespace sn
