#include "db/metric_repository.h"

#include "db/database.h"
#include "db/statement.h"
#include "db/transaction.h"

namespace sn {

void MetricRepository::append(int64_t runId, const std::vector<MetricSample>& samples) {
  if (samples.empty()) return;
  Transaction tx(db_);
  Statement st = db_.prepare(
      "INSERT INTO metrics (run_id, step, epoch, key, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)");
  for (const MetricSample& m : samples) {
    st.bind(1, runId).bind(2, m.step).bind(3, m.epoch).bind(4, m.key).bind(5, m.value);
    st.bind(6, m.wallTime);
    st.run();
  }
  tx.commit();
}

std::vector<MetricSample> MetricRepository::series(int64_t runId, const std::string& key,
                                                   int64_t afterStep) {
  Statement st = db_.prepare(
      "SELECT step, epoch, key, value, wall_time FROM metrics "
      "WHERE run_id = ? AND key = ? AND step > ? ORDER BY step");
  st.bind(1, runId).bind(2, key).bind(3, afterStep);
  std::vector<MetricSample> out;
  while (st.step()) {
    out.push_back({st.columnInt64(0), st.columnDouble(1), st.columnText(2), st.columnDouble(3),
                   st.columnDouble(4)});
  }
  return out;
}

std::vector<std::string> MetricRepository::keys(int64_t runId) {
  Statement st = db_.prepare("SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key");
  st.bind(1, runId);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.columnText(0));
  return out;
}

int64_t MetricRepository::count(int64_t runId) {
  Statement st = db_.prepare("SELECT COUNT(*) FROM metrics WHERE run_id = ?");
  st.bind(1, runId);
  st.step();
  return st.columnInt64(0);
}

void MetricRepository::truncateAfter(int64_t runId, int64_t step) {
  Statement st = db_.prepare("DELETE FROM metrics WHERE run_id = ? AND step > ?");
  st.bind(1, runId).bind(2, step);
  st.run();
}

}  // namespace sn
