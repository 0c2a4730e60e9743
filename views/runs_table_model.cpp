#include "views/runs_table_model.h"

#include <QDateTime>

#include "db/run_repository.h"

namespace sn {
namespace {

enum Column { kId, kName, kStatus, kTags, kSpace, kStarted, kMessage, kColumns };

QString timeText(double seconds) {
  return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(seconds * 1000))
      .toString("yyyy-MM-dd hh:mm");
}

}  // namespace

void RunsTableModel::setRuns(std::vector<RunRecord> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  endResetModel();
}

const RunRecord* RunsTableModel::runAt(int row) const {
  return row >= 0 && row < static_cast<int>(runs_.size()) ? &runs_[row] : nullptr;
}

int RunsTableModel::rowOf(int64_t runId) const {
  for (size_t i = 0; i < runs_.size(); ++i) {
    if (runs_[i].id == runId) return static_cast<int>(i);
  }
  return -1;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumns;
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
  const RunRecord* run = runAt(index.row());
  if (!run || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) return {};
  switch (index.column()) {
    case kId: return QVariant::fromValue<qlonglong>(run->id);
    case kName:
      if (role == Qt::ToolTipRole && !run->origin.empty()) {
        return QString::fromStdString(run->name + " — " + run->origin);
      }
      return QString::fromStdString(run->name);
    case kTags: return QString::fromStdString(joinTags(run->tags));
    case kStatus: return QString::fromStdString(run->status);
    case kSpace: return QString::fromStdString(run->space);
    case kStarted: return run->startedAt ? timeText(*run->startedAt) : QString();
    case kMessage: return QString::fromStdString(run->message);
    default: return {};
  }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[kColumns] = {"Id", "Name", "Status", "Tags", "Space", "Started", "Message"};
  return section >= 0 && section < kColumns ? tr(names[section]) : QVariant();
}

}  // namespace sn
