#include "db/latency_repository.h"

#include "db/database.h"
#include "db/statement.h"
#include "db/transaction.h"

namespace sn {
namespace {

constexpr const char* kColumns =
    "SELECT id, device, space_hash, input_shape, batch, threads, fixed_ms, block_scale, created_at, "
    "method FROM latency_tables ";

LatencyTableRecord readTable(const Statement& st) {
  LatencyTableRecord t;
  t.id = st.columnInt64(0);
  t.device = st.columnText(1);
  t.spaceHash = st.columnText(2);
  t.inputShape = st.columnText(3);
  t.batch = st.columnInt64(4);
  t.threads = st.columnInt64(5);
  t.fixedMs = st.columnDouble(6);
  t.blockScale = st.columnDouble(7);
  t.createdAt = st.columnDouble(8);
  t.method = st.columnText(9);
  return t;
}

void insertChecks(Database& db, int64_t tableId, const std::vector<LatencyCheck>& checks) {
  Statement st = db.prepare(
      "INSERT INTO latency_checks (table_id, arch, predicted_ms, measured_ms, remeasured_ms) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const LatencyCheck& c : checks) {
    st.reset();
    st.bind(1, tableId).bind(2, c.arch).bind(3, c.predictedMs).bind(4, c.measuredMs);
    if (c.remeasuredMs > 0) {
      st.bind(5, c.remeasuredMs);
    } else {
      st.bindNull(5);
    }
    st.run();
  }
}

}  // namespace

int64_t LatencyRepository::add(const LatencyTableRecord& t) {
  Transaction tx(db_);
  Statement st = db_.prepare(
      "INSERT INTO latency_tables (device, space_hash, input_shape, batch, threads, fixed_ms, "
      "block_scale, created_at, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, t.device).bind(2, t.spaceHash).bind(3, t.inputShape).bind(4, t.batch);
  st.bind(5, t.threads).bind(6, t.fixedMs).bind(7, t.blockScale).bind(8, nowSeconds());
  st.bind(9, t.method);
  st.run();
  const int64_t id = db_.lastInsertId();
  Statement entry = db_.prepare("INSERT INTO latency_entries (table_id, block, ms) VALUES (?, ?, ?)");
  for (const auto& [block, ms] : t.entries) {
    entry.reset();
    entry.bind(1, id).bind(2, block).bind(3, ms);
    entry.run();
  }
  insertChecks(db_, id, t.checks);
  tx.commit();
  return id;
}

void LatencyRepository::setChecks(int64_t tableId, const std::vector<LatencyCheck>& checks) {
  Transaction tx(db_);
  Statement del = db_.prepare("DELETE FROM latency_checks WHERE table_id = ?");
  del.bind(1, tableId);
  del.run();
  insertChecks(db_, tableId, checks);
  tx.commit();
}

std::optional<LatencyTableRecord> LatencyRepository::latest(const std::string& device,
                                                            const std::string& spaceHash,
                                                            const std::string& inputShape,
                                                            int64_t batch) {
  Statement st = db_.prepare(std::string(kColumns) +
                             "WHERE device = ? AND space_hash = ? AND input_shape = ? AND batch = ? "
                             "ORDER BY id DESC LIMIT 1");
  st.bind(1, device).bind(2, spaceHash).bind(3, inputShape).bind(4, batch);
  if (!st.step()) return std::nullopt;
  LatencyTableRecord t = readTable(st);
  loadDetails(t);
  return t;
}

std::optional<LatencyTableRecord> LatencyRepository::find(int64_t id) {
  Statement st = db_.prepare(std::string(kColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  LatencyTableRecord t = readTable(st);
  loadDetails(t);
  return t;
}

std::vector<LatencyTableRecord> LatencyRepository::list() {
  Statement st = db_.prepare(std::string(kColumns) + "ORDER BY id DESC");
  std::vector<LatencyTableRecord> out;
  while (st.step()) out.push_back(readTable(st));
  return out;
}

void LatencyRepository::loadDetails(LatencyTableRecord& t) {
  Statement e = db_.prepare("SELECT block, ms FROM latency_entries WHERE table_id = ? ORDER BY block");
  e.bind(1, t.id);
  while (e.step()) t.entries.emplace_back(e.columnText(0), e.columnDouble(1));
  Statement c = db_.prepare(
      "SELECT arch, predicted_ms, measured_ms, IFNULL(remeasured_ms, 0) FROM latency_checks "
      "WHERE table_id = ? ORDER BY rowid");
  c.bind(1, t.id);
  while (c.step()) {
    t.checks.push_back({c.columnText(0), c.columnDouble(1), c.columnDouble(2), c.columnDouble(3)});
  }
}

std::string LatencyRepository::changeStamp() {
  // Replaced checks keep their count, often their rowids too: their sums tell them apart.
  Statement st = db_.prepare(
      "SELECT (SELECT COUNT(*) || ':' || IFNULL(MAX(id), 0) FROM latency_tables) || ':' || "
      "(SELECT COUNT(*) || ':' || TOTAL(measured_ms) || ':' || TOTAL(predicted_ms) FROM latency_checks)");
  return st.step() ? st.columnText(0) : std::string();
}

}  // namespace sn
