#include "db/subnet_repository.h"

#include "db/database.h"
#include "db/statement.h"
#include "db/transaction.h"

namespace sn {

int64_t SubnetRepository::add(const SubnetRecord& s) {
  Statement st = db_.prepare(
      "INSERT INTO subnets (run_id, checkpoint_id, epoch, arch, arch_hash, macs, params, "
      "accuracy, latency_ms, latency_device, sparsity, source, created_at, sparse_macs, "
      "work_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, s.runId).bind(2, s.checkpointId).bind(3, s.epoch).bind(4, s.arch);
  st.bind(5, s.archHash).bind(6, s.macs).bind(7, s.params).bind(8, s.accuracy);
  st.bind(9, s.latencyMs)
      .bind(10, s.latencyDevice)
      .bind(11, s.sparsity)
      .bind(12, subnetSourceName(s.source));
  st.bind(13, nowSeconds());
  // Uncounted sparse MACs are the dense ones: nothing known to be pruned.
  st.bind(14, s.sparseMacs > 0 ? s.sparseMacs : s.macs).bind(15, s.workSeconds);
  st.run();
  return db_.lastInsertId();
}

void SubnetRepository::addAll(std::vector<SubnetRecord>& subnets) {
  Transaction tx(db_);
  for (SubnetRecord& s : subnets) s.id = add(s);
  tx.commit();
}

namespace {

// A measured subnet in SQL: its accuracy measured, not predicted (isMeasured).
constexpr const char* kMeasured = " AND accuracy IS NOT NULL AND source <> 'predicted'";

constexpr const char* kColumns =
    "SELECT id, run_id, checkpoint_id, epoch, arch, arch_hash, macs, params, accuracy, "
    "latency_ms, latency_device, sparsity, source, created_at, sparse_macs, work_seconds FROM subnets ";

// Text columns as views: valid until the statement steps again.
SubnetView readView(Statement& st) {
  SubnetView v;
  v.id = st.columnInt64(0);
  v.runId = st.columnInt64(1);
  v.checkpointId = st.columnOptionalInt64(2);
  v.epoch = st.columnOptionalInt64(3);
  v.arch = st.columnTextView(4);
  v.archHash = st.columnTextView(5);
  v.macs = st.columnInt64(6);
  v.params = st.columnInt64(7);
  v.accuracy = st.columnOptionalDouble(8);
  v.latencyMs = st.columnOptionalDouble(9);
  v.latencyDevice = st.columnTextView(10);
  v.sparsity = st.columnDouble(11);
  v.source = parseSubnetSource(st.columnTextView(12));
  v.createdAt = st.columnDouble(13);
  v.sparseMacs = st.columnInt64(14);
  v.workSeconds = st.columnDouble(15);
  return v;
}

SubnetRecord readSubnet(Statement& st) { return readView(st).record(); }

}  // namespace

std::vector<SubnetRecord> SubnetRepository::forRun(int64_t runId) {
  Statement st = db_.prepare(std::string(kColumns) + "WHERE run_id = ? ORDER BY id");
  st.bind(1, runId);
  std::vector<SubnetRecord> out;
  while (st.step()) out.push_back(readSubnet(st));
  return out;
}

void SubnetRepository::forEachAfter(int64_t runId, int64_t afterId,
                                    const std::function<bool(SubnetRecord&&)>& each) {
  Statement st = db_.prepare(std::string(kColumns) + "WHERE run_id = ? AND id > ? ORDER BY id");
  st.bind(1, runId);
  st.bind(2, afterId);
  while (st.step()) {
    if (!each(readSubnet(st))) return;
  }
}

void SubnetRepository::forEachViewAfter(int64_t runId, int64_t afterId,
                                        const std::function<bool(const SubnetView&)>& each, int64_t upToId) {
  Statement st = db_.prepare(std::string(kColumns) + "WHERE run_id = ? AND id > ? AND id <= ? ORDER BY id");
  st.bind(1, runId);
  st.bind(2, afterId);
  st.bind(3, upToId);
  while (st.step()) {
    if (!each(readView(st))) return;
  }
}

void SubnetRepository::forEachCost(int64_t runId, const std::function<bool(const SubnetView&)>& each,
                                   bool measuredOnly) {
  // A scan of the table's id range, not of the index: a run's rows lie mostly together, and
  // looking each one up through the index took twice as long at 1M rows.
  const auto [first, last] = idSpan(runId);
  Statement st = db_.prepare(
      "SELECT id, epoch, macs, params, sparse_macs, accuracy, latency_ms, source FROM subnets "
      "WHERE id BETWEEN ? AND ? AND +run_id = ?" +
      std::string(measuredOnly ? kMeasured : "") + " ORDER BY id");
  st.bind(1, first).bind(2, last).bind(3, runId);
  SubnetView v;
  v.runId = runId;
  while (st.step()) {
    v.id = st.columnInt64(0);
    v.epoch = st.columnOptionalInt64(1);
    v.macs = st.columnInt64(2);
    v.params = st.columnInt64(3);
    v.sparseMacs = st.columnInt64(4);
    v.accuracy = st.columnOptionalDouble(5);
    v.latencyMs = st.columnOptionalDouble(6);
    v.source = parseSubnetSource(st.columnTextView(7));
    if (!each(v)) return;
  }
}

void SubnetRepository::forEachPoint(int64_t runId, bool byLatency,
                                    const std::function<void(int64_t, double, double)>& each) {
  const auto [first, last] = idSpan(runId);  // a scan of the id range, as forEachCost
  const std::string cost = byLatency ? "latency_ms" : "macs";
  Statement st = db_.prepare("SELECT id, " + cost +
                             ", accuracy FROM subnets WHERE id BETWEEN ? AND ? AND +run_id = ?" +
                             kMeasured + " AND " + cost + " IS NOT NULL ORDER BY id");
  st.bind(1, first).bind(2, last).bind(3, runId);
  while (st.step()) each(st.columnInt64(0), st.columnDouble(1), st.columnDouble(2));
}

int64_t SubnetRepository::idAtOffset(int64_t runId, int64_t offset) {
  Statement st = db_.prepare("SELECT id FROM subnets WHERE run_id = ? ORDER BY id LIMIT 1 OFFSET ?");
  st.bind(1, runId);
  st.bind(2, offset);
  return st.step() ? st.columnInt64(0) : 0;
}

int64_t SubnetRepository::lastId(int64_t runId) {
  Statement st = db_.prepare("SELECT COALESCE(MAX(id), 0) FROM subnets WHERE run_id = ?");
  st.bind(1, runId);
  st.step();
  return st.columnInt64(0);
}

std::pair<int64_t, int64_t> SubnetRepository::idSpan(int64_t runId) {
  Statement st = db_.prepare(
      "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM subnets WHERE run_id = ?");
  st.bind(1, runId);
  st.step();
  return {st.columnInt64(0), st.columnInt64(1)};
}

std::optional<SubnetRecord> SubnetRepository::find(int64_t id) {
  Statement st = db_.prepare(std::string(kColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readSubnet(st);
}

int64_t SubnetRepository::count(int64_t runId) {
  Statement st = db_.prepare("SELECT COUNT(*) FROM subnets WHERE run_id = ?");
  st.bind(1, runId);
  st.step();
  return st.columnInt64(0);
}

std::vector<int64_t> SubnetRepository::checkpointIdsOf(int64_t runId) {
  Statement st = db_.prepare(
      "SELECT DISTINCT checkpoint_id FROM subnets WHERE run_id = ? AND checkpoint_id IS NOT NULL");
  st.bind(1, runId);
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.columnInt64(0));
  return ids;
}

}  // namespace sn
