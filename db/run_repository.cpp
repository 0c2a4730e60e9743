#include "db/run_repository.h"

#include <map>

#include "db/database.h"
#include "db/statement.h"
#include "db/transaction.h"

namespace sn {
namespace {

constexpr const char* kColumns =
    "id, name, space, config_json, status, message, created_at, started_at, finished_at, "
    "updated_at, tags, origin";

std::vector<std::string> splitTags(const std::string& text) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) tags.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return tags;
}


// Detaches the source database however the import ends (ATTACH cannot be inside a
// transaction, so it wraps the import's).
class Attached {
 public:
  Attached(Database& db, const std::string& path) : db_(db) {
    Statement st = db_.prepare("ATTACH DATABASE ? AS src");
    st.bind(1, path);
    st.run();
  }
  ~Attached() {
    try {
      db_.exec("DETACH DATABASE src");
    } catch (...) {  // never throw from a destructor; the connection closes it anyway
    }
  }

 private:
  Database& db_;
};

RunRecord readRun(const Statement& st) {
  RunRecord r;
  r.id = st.columnInt64(0);
  r.name = st.columnText(1);
  r.space = st.columnText(2);
  r.configJson = st.columnText(3);
  r.status = parseRunStatus(st.columnTextView(4));
  r.message = st.columnText(5);
  r.createdAt = st.columnDouble(6);
  r.startedAt = st.columnOptionalDouble(7);
  r.finishedAt = st.columnOptionalDouble(8);
  r.updatedAt = st.columnDouble(9);
  r.tags = splitTags(st.columnText(10));
  r.origin = st.columnText(11);
  return r;
}

std::vector<RunRecord> readRuns(Statement& st) {
  std::vector<RunRecord> out;
  while (st.step()) out.push_back(readRun(st));
  return out;
}

}  // namespace

std::string joinTags(const std::vector<std::string>& tags) {
  std::string text;
  for (const std::string& t : tags) text += (text.empty() ? "" : ",") + t;
  return text;
}

int64_t RunRepository::create(RunRecord run) {
  const double now = nowSeconds();
  Statement st = db_.prepare(
      "INSERT INTO runs (name, space, config_json, status, message, created_at, updated_at, "
      "tags, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, run.name)
      .bind(2, run.space)
      .bind(3, run.configJson)
      .bind(4, runStatusName(run.status));
  st.bind(5, run.message).bind(6, now).bind(7, now).bind(8, joinTags(run.tags));
  st.bind(9, run.origin);
  st.run();
  return db_.lastInsertId();
}

std::optional<RunRecord> RunRepository::find(int64_t id) {
  Statement st = db_.prepare(std::string("SELECT ") + kColumns + " FROM runs WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readRun(st);
}

std::vector<RunRecord> RunRepository::all() {
  Statement st = db_.prepare(std::string("SELECT ") + kColumns + " FROM runs ORDER BY id");
  return readRuns(st);
}

std::optional<RunRecord> RunRepository::latest() {
  Statement st =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM runs ORDER BY id DESC LIMIT 1");
  if (!st.step()) return std::nullopt;
  return readRun(st);
}

void RunRepository::setStatus(int64_t id, RunStatus status, const std::string& message) {
  const bool ended = runEnded(status);
  Statement st = db_.prepare(
      "UPDATE runs SET status = ?, message = ?, updated_at = ?, "
      "finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ?");
  const double now = nowSeconds();
  st.bind(1, runStatusName(status))
      .bind(2, message)
      .bind(3, now)
      .bind(4, ended ? 1 : 0)
      .bind(5, now)
      .bind(6, id);
  st.run();
}

void RunRepository::markStarted(int64_t id) {
  Statement st = db_.prepare(
      "UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), "
      "finished_at = NULL, updated_at = ? WHERE id = ?");
  const double now = nowSeconds();
  st.bind(1, now).bind(2, now).bind(3, id);
  st.run();
}

void RunRepository::setConfig(int64_t id, const std::string& configJson) {
  Statement st = db_.prepare("UPDATE runs SET config_json = ?, updated_at = ? WHERE id = ?");
  st.bind(1, configJson).bind(2, nowSeconds()).bind(3, id);
  st.run();
}

void RunRepository::rename(int64_t id, const std::string& name) {
  Statement st = db_.prepare("UPDATE runs SET name = ?, updated_at = ? WHERE id = ?");
  st.bind(1, name).bind(2, nowSeconds()).bind(3, id);
  st.run();
}

void RunRepository::setTags(int64_t id, const std::vector<std::string>& tags) {
  Statement st = db_.prepare("UPDATE runs SET tags = ?, updated_at = ? WHERE id = ?");
  st.bind(1, joinTags(tags)).bind(2, nowSeconds()).bind(3, id);
  st.run();
}

void RunRepository::remove(int64_t id) {
  Statement st = db_.prepare("DELETE FROM runs WHERE id = ?");
  st.bind(1, id);
  st.run();
}

int64_t RunRepository::importRun(const std::string& sourcePath, int64_t sourceRunId,
                                 const std::string& origin, const PlaceCheckpoints& place) {
  const Attached attached(db_, sourcePath);
  Transaction tx(db_);
  // Only columns every schema version has; an imported run keeps its status and times.
  Statement run = db_.prepare(
      "INSERT INTO runs (name, space, config_json, status, message, created_at, started_at, "
      "finished_at, updated_at, origin) SELECT name, space, config_json, "
      "CASE status WHEN 'running' THEN 'stopped' ELSE status END, message, created_at, "
      "started_at, finished_at, ?, ? FROM src.runs WHERE id = ?");
  run.bind(1, nowSeconds()).bind(2, origin).bind(3, sourceRunId);
  run.run();
  if (db_.changes() != 1) {
    db_.fail("run " + std::to_string(sourceRunId) + " is not in " + sourcePath);
  }
  const int64_t runId = db_.lastInsertId();
  Statement metrics = db_.prepare(
      "INSERT INTO metrics (run_id, step, epoch, key, value, wall_time) "
      "SELECT ?, step, epoch, key, value, wall_time FROM src.metrics WHERE run_id = ?");
  metrics.bind(1, runId).bind(2, sourceRunId);
  metrics.run();
  // Checkpoints one by one: the subnets that name one must name its new id.
  std::map<int64_t, int64_t> newCheckpoint;
  std::vector<CheckpointRecord> checkpoints;
  Statement old = db_.prepare(
      "SELECT id, epoch, step, path, sha256, created_at FROM src.checkpoints WHERE run_id = ? "
      "ORDER BY id");
  old.bind(1, sourceRunId);
  while (old.step()) {
    Statement add = db_.prepare(
        "INSERT INTO checkpoints (run_id, epoch, step, path, sha256, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    add.bind(1, runId).bind(2, old.columnInt64(1)).bind(3, old.columnInt64(2));
    add.bind(4, old.columnText(3)).bind(5, old.columnText(4)).bind(6, old.columnDouble(5));
    add.run();
    CheckpointRecord c;
    c.id = db_.lastInsertId();
    c.runId = runId;
    c.epoch = old.columnInt64(1);
    c.step = old.columnInt64(2);
    c.path = old.columnText(3);
    c.sha256 = old.columnText(4);
    c.createdAt = old.columnDouble(5);
    newCheckpoint[old.columnInt64(0)] = c.id;
    checkpoints.push_back(std::move(c));
  }
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS import_checkpoints (old_id INTEGER PRIMARY KEY, "
           "new_id INTEGER NOT NULL); DELETE FROM import_checkpoints;");
  for (const auto& [from, to] : newCheckpoint) {
    Statement map = db_.prepare("INSERT INTO import_checkpoints VALUES (?, ?)");
    map.bind(1, from).bind(2, to);
    map.run();
  }
  Statement subnets = db_.prepare(
      "INSERT INTO subnets (run_id, checkpoint_id, epoch, arch, arch_hash, macs, params, "
      "accuracy, latency_ms, latency_device, sparsity, source, created_at, sparse_macs, "
      "work_seconds) "
      "SELECT ?, (SELECT new_id FROM import_checkpoints WHERE old_id = s.checkpoint_id), "
      "epoch, arch, arch_hash, macs, params, accuracy, latency_ms, latency_device, sparsity, "
      "source, created_at, sparse_macs, work_seconds FROM src.subnets s WHERE run_id = ? "
      "ORDER BY id");
  subnets.bind(1, runId).bind(2, sourceRunId);
  subnets.run();
  for (const auto& [id, path] : place(runId, checkpoints)) {
    Statement setPath = db_.prepare("UPDATE checkpoints SET path = ? WHERE id = ?");
    setPath.bind(1, path).bind(2, id);
    setPath.run();
  }
  tx.commit();
  return runId;
}

}  // namespace sn
