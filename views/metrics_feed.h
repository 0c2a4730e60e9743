#pragma once
#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

class Store;

// The UI's read side of a project database: its own read-only connection, polled on a
// timer. A poll costs one `PRAGMA data_version` unless another connection (this app's
// training thread or a supernet-cli process) committed since; only then are the new rows of
// the watched run fetched, per key, after the last step already seen.
class MetricsFeed : public QObject {
  Q_OBJECT
 public:
  explicit MetricsFeed(QObject* parent = nullptr);
  ~MetricsFeed() override;

  // Opens the project database read-only. Throws InputError/DbError naming the file.
  void open(const QString& databasePath);
  void close();
  bool isOpen() const { return store_ != nullptr; }

  // Watches one run: emits `reset` with every stored row, then `appended` as rows arrive.
  void watchRun(int64_t runId);
  int64_t watchedRun() const { return runId_; }
  std::vector<RunRecord> runs();
  // The run's newest subnet id, 0 when it has none (cheap: views reload only when it changes).
  int64_t subnetLastId(int64_t runId);
  // The project's latency tables, newest first, with entries and checks: read again only
  // when LatencyRepository::changeStamp says they changed.
  const std::vector<LatencyTableRecord>& latencyTables();
  // The stamp of what latencyTables() returned last ("" before it was read).
  const std::string& latencyStamp() const { return latencyStamp_; }

  // The read connection itself, for views that query more than the watched run (compare).
  Store* store() { return store_.get(); }
  void setPollInterval(int ms) { timer_.setInterval(ms); }
  // Looks for new rows now (the training thread says it wrote some). A read that fails
  // (the file gone, a lock held past the busy timeout) is counted and reported with
  // `readFailed`, and the next poll tries again: the UI never ends on it.
  void poll();
  // Failed polls since open(), and the last one's message.
  int readErrors() const { return readErrors_; }
  const QString& lastReadError() const { return lastReadError_; }

 Q_SIGNALS:
  void reset(qint64 runId, const std::vector<sn::MetricSample>& rows);
  void appended(qint64 runId, const std::vector<sn::MetricSample>& rows);
  // Something in the database changed (runs' statuses, new runs): views re-read what they show.
  void databaseChanged();
  void readFailed(const QString& message);

 private:
  std::vector<MetricSample> fetchNew();

  std::unique_ptr<Store> store_;
  QTimer timer_;
  int64_t runId_ = 0;
  long long dataVersion_ = -1;
  std::map<std::string, int64_t> lastStep_;  // per key, of the watched run
  std::vector<LatencyTableRecord> latencyTables_;
  std::string latencyStamp_;
  int readErrors_ = 0;
  QString lastReadError_;
};

}  // namespace sn

Q_DECLARE_METATYPE(std::vector<sn::MetricSample>)
