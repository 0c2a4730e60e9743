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

bool sameRow(const RunRecord& a, const RunRecord& b) {
  return a.name == b.name && a.status == b.status && a.tags == b.tags && a.space == b.space &&
         a.startedAt == b.startedAt && a.message == b.message && a.origin == b.origin;
}

}  // namespace

// Both lists are in id order (RunRepository::all). Walked together, the rows that went are
// removed, the new ones inserted where their ids go, and the changed ones reported: a reset
// would drop the view's selection and scroll position on every database change.
void RunsTableModel::setRuns(std::vector<RunRecord> runs) {
  size_t row = 0, next = 0;
  while (row < runs_.size() || next < runs.size()) {
    // SQLite gives a deleted last run's id to the next new one: the same id made at another
    // time is another run, so its row goes and a new one comes (the selection goes with it).
    const bool gone = row < runs_.size() && next < runs.size() && runs_[row].id == runs[next].id &&
                      runs_[row].createdAt != runs[next].createdAt;
    if (gone || next == runs.size() || (row < runs_.size() && runs_[row].id < runs[next].id)) {
      beginRemoveRows({}, static_cast<int>(row), static_cast<int>(row));
      runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(row));
      endRemoveRows();
    } else if (row == runs_.size() || runs[next].id < runs_[row].id) {
      beginInsertRows({}, static_cast<int>(row), static_cast<int>(row));
      runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(row), std::move(runs[next]));
      endInsertRows();
      ++row, ++next;
    } else {
      const bool changed = !sameRow(runs_[row], runs[next]);
      runs_[row] = std::move(runs[next]);
      if (changed) Q_EMIT dataChanged(index(static_cast<int>(row), 0), index(static_cast<int>(row), kColumns - 1));
      ++row, ++next;
    }
  }
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
    case kStatus:
      return QString(runStatusName(run->status));
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
