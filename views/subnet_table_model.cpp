#include "views/subnet_table_model.h"

namespace sn {

void SubnetTableModel::setSubnets(const std::vector<SubnetRecord>* subnets) {
  beginResetModel();
  subnets_ = subnets;
  endResetModel();
}

const SubnetRecord* SubnetTableModel::subnetAt(int row) const {
  if (!subnets_ || row < 0 || row >= static_cast<int>(subnets_->size())) return nullptr;
  return &(*subnets_)[row];
}

int SubnetTableModel::rowOf(int64_t id) const {
  if (!subnets_) return -1;
  for (size_t i = 0; i < subnets_->size(); ++i) {
    if ((*subnets_)[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int SubnetTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !subnets_ ? 0 : static_cast<int>(subnets_->size());
}

int SubnetTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant SubnetTableModel::data(const QModelIndex& index, int role) const {
  const SubnetRecord* s = subnetAt(index.row());
  if (!s) return {};
  if (role == Qt::UserRole) {
    switch (index.column()) {
      case Id: return QVariant::fromValue<qlonglong>(s->id);
      case Source: return QString::fromStdString(s->source);
      case Epoch: return s->epoch ? QVariant::fromValue<qlonglong>(*s->epoch) : QVariant(-1);
      case Accuracy: return s->accuracy.value_or(-1);
      case Macs: return QVariant::fromValue<qlonglong>(s->macs);
      case SparseMacs: return QVariant::fromValue<qlonglong>(s->sparseMacs);
      case Sparsity: return s->sparsity;
      case Params: return QVariant::fromValue<qlonglong>(s->params);
      case Latency: return s->latencyMs.value_or(-1);
      case ArchText: return QString::fromStdString(s->arch);
    }
    return {};
  }
  if (role == Qt::TextAlignmentRole && index.column() != ArchText && index.column() != Source) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case Id: return QString::number(s->id);
    case Source: return QString::fromStdString(s->source);
    case Epoch: return s->epoch ? QString::number(*s->epoch) : QString("-");
    case Accuracy: return s->accuracy ? QString::number(100 * *s->accuracy, 'f', 2) + " %" : "-";
    case Macs: return QString::number(s->macs / 1e6, 'f', 2) + " M";
    case SparseMacs: return QString::number(s->sparseMacs / 1e6, 'f', 2) + " M";
    case Sparsity: return QString::number(100 * s->sparsity, 'f', 1) + " %";
    case Params: return QString::number(s->params / 1e6, 'f', 3) + " M";
    case Latency:
      if (!s->latencyMs) return QString("-");
      return role == Qt::ToolTipRole ? QString::fromStdString(s->latencyDevice)
                                     : QString::number(*s->latencyMs, 'f', 3) + " ms";
    case ArchText: return QString::fromStdString(s->arch);
  }
  return {};
}

QVariant SubnetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"id", "source", "epoch", "accuracy", "MACs", "sparse MACs", "sparsity", "params", "latency", "arch"};
  return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

}  // namespace sn
