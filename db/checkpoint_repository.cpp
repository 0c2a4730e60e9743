#include "db/checkpoint_repository.h"

#include "db/database.h"
#include "db/statement.h"

namespace sn {
namespace {

CheckpointRecord readCheckpoint(const Statement& st) {
  CheckpointRecord c;
  c.id = st.columnInt64(0);
  c.runId = st.columnInt64(1);
  c.epoch = st.columnInt64(2);
  c.step = st.columnInt64(3);
  c.path = st.columnText(4);
  c.sha256 = st.columnText(5);
  c.createdAt = st.columnDouble(6);
  return c;
}

constexpr const char* kSelect =
    "SELECT id, run_id, epoch, step, path, sha256, created_at FROM checkpoints ";

}  // namespace

int64_t CheckpointRepository::add(CheckpointRecord c) {
  Statement st = db_.prepare(
      "INSERT INTO checkpoints (run_id, epoch, step, path, sha256, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, c.runId).bind(2, c.epoch).bind(3, c.step).bind(4, c.path).bind(5, c.sha256);
  st.bind(6, nowSeconds());
  st.run();
  return db_.lastInsertId();
}

std::optional<CheckpointRecord> CheckpointRepository::latest(int64_t runId) {
  Statement st = db_.prepare(std::string(kSelect) +
                             "WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT 1");
  st.bind(1, runId);
  if (!st.step()) return std::nullopt;
  return readCheckpoint(st);
}

std::vector<CheckpointRecord> CheckpointRepository::forRun(int64_t runId) {
  Statement st = db_.prepare(std::string(kSelect) + "WHERE run_id = ? ORDER BY step, id");
  st.bind(1, runId);
  std::vector<CheckpointRecord> out;
  while (st.step()) out.push_back(readCheckpoint(st));
  return out;
}

void CheckpointRepository::setPath(int64_t id, const std::string& path) {
  Statement st = db_.prepare("UPDATE checkpoints SET path = ? WHERE id = ?");
  st.bind(1, path).bind(2, id);
  st.run();
}

void CheckpointRepository::remove(int64_t id) {
  Statement st = db_.prepare("DELETE FROM checkpoints WHERE id = ?");
  st.bind(1, id);
  st.run();
}

}  // namespace sn
