#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

class Database;

class CheckpointRepository {
 public:
  explicit CheckpointRepository(Database& db) : db_(db) {}

  int64_t add(CheckpointRecord checkpoint);
  std::optional<CheckpointRecord> latest(int64_t runId);
  std::vector<CheckpointRecord> forRun(int64_t runId);
  void setPath(int64_t id, const std::string& path);
  // The row only; subnets that named it keep their rows with no checkpoint (ON DELETE SET NULL).
  void remove(int64_t id);

 private:
  Database& db_;
};

}  // namespace sn
