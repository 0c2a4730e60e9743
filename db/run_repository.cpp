#include "db/run_repository.h"

#include "db/database.h"
#include "db/statement.h"

namespace sn {
namespace {

constexpr const char* kColumns =
    "id, name, space, config_json, status, message, created_at, started_at, finished_at, "
    "updated_at";

RunRecord readRun(const Statement& st) {
  RunRecord r;
  r.id = st.columnInt64(0);
  r.name = st.columnText(1);
  r.space = st.columnText(2);
  r.configJson = st.columnText(3);
  r.status = st.columnText(4);
  r.message = st.columnText(5);
  r.createdAt = st.columnDouble(6);
  r.startedAt = st.columnOptionalDouble(7);
  r.finishedAt = st.columnOptionalDouble(8);
  r.updatedAt = st.columnDouble(9);
  return r;
}

std::vector<RunRecord> readRuns(Statement& st) {
  std::vector<RunRecord> out;
  while (st.step()) out.push_back(readRun(st));
  return out;
}

}  // namespace

int64_t RunRepository::create(RunRecord run) {
  const double now = nowSeconds();
  Statement st = db_.prepare(
      "INSERT INTO runs (name, space, config_json, status, message, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, run.name).bind(2, run.space).bind(3, run.configJson).bind(4, run.status);
  st.bind(5, run.message).bind(6, now).bind(7, now);
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

void RunRepository::setStatus(int64_t id, const std::string& status, const std::string& message) {
  const bool ended = status == "finished" || status == "failed" || status == "stopped";
  Statement st = db_.prepare(
      "UPDATE runs SET status = ?, message = ?, updated_at = ?, "
      "finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ?");
  const double now = nowSeconds();
  st.bind(1, status).bind(2, message).bind(3, now).bind(4, ended ? 1 : 0).bind(5, now).bind(6, id);
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

}  // namespace sn
