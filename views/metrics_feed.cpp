#include "views/metrics_feed.h"

#include <algorithm>

#include "db/store.h"

namespace sn {

MetricsFeed::MetricsFeed(QObject* parent) : QObject(parent) {
  timer_.setInterval(500);
  connect(&timer_, &QTimer::timeout, this, &MetricsFeed::poll);
}

MetricsFeed::~MetricsFeed() = default;

void MetricsFeed::open(const QString& databasePath) {
  close();
  store_ = std::make_unique<Store>(databasePath.toStdString(), Database::Mode::ReadOnly);
  dataVersion_ = store_->db().dataVersion();
  readErrors_ = 0;
  lastReadError_.clear();
  timer_.start();
}

void MetricsFeed::close() {
  timer_.stop();
  store_.reset();
  latencyTables_.clear();
  latencyStamp_.clear();
  runId_ = 0;
  lastStep_.clear();
}

std::vector<RunRecord> MetricsFeed::runs() {
  return store_ ? store_->runs().all() : std::vector<RunRecord>{};
}

int64_t MetricsFeed::subnetLastId(int64_t runId) {
  return store_ ? store_->subnets().lastId(runId) : 0;
}

const std::vector<LatencyTableRecord>& MetricsFeed::latencyTables() {
  if (!store_) {
    latencyTables_.clear();
    return latencyTables_;
  }
  const std::string stamp = store_->latency().changeStamp();
  if (stamp == latencyStamp_) return latencyTables_;
  std::vector<LatencyTableRecord> tables;
  for (const LatencyTableRecord& t : store_->latency().list()) {
    if (auto full = store_->latency().find(t.id)) tables.push_back(std::move(*full));
  }
  latencyTables_ = std::move(tables);
  latencyStamp_ = stamp;
  return latencyTables_;
}

void MetricsFeed::watchRun(int64_t runId) {
  runId_ = runId;
  lastStep_.clear();
  std::vector<MetricSample> rows = store_ && runId > 0 ? fetchNew() : std::vector<MetricSample>{};
  Q_EMIT reset(runId, rows);
}

void MetricsFeed::poll() {
  if (!store_) return;
  try {
    const long long version = store_->db().dataVersion();
    if (version == dataVersion_) return;
    // The views' own reads run inside this emit (direct connections): their failures land
    // here too.
    Q_EMIT databaseChanged();
    if (runId_ > 0) {
      std::vector<MetricSample> rows = fetchNew();
      if (!rows.empty()) Q_EMIT appended(runId_, rows);
    }
    dataVersion_ = version;  // only once all of it was read: a failed poll is retried
  } catch (const std::exception& e) {
    ++readErrors_;
    lastReadError_ = QString::fromStdString(e.what());
    Q_EMIT readFailed(lastReadError_);
  }
}

std::vector<MetricSample> MetricsFeed::fetchNew() {
  std::vector<MetricSample> out;
  // Advanced only when every key was read: a read failing half-way loses no row.
  std::map<std::string, int64_t> last = lastStep_;
  for (const std::string& key : store_->metrics().keys(runId_)) {
    const auto it = last.find(key);
    const int64_t after = it == last.end() ? -1 : it->second;
    std::vector<MetricSample> rows = store_->metrics().series(runId_, key, after);
    if (rows.empty()) continue;
    last[key] = rows.back().step;
    out.insert(out.end(), rows.begin(), rows.end());
  }
  lastStep_ = std::move(last);
  return out;
}

}  // namespace sn
