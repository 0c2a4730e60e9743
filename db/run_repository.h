#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

class Database;

class RunRepository {
 public:
  explicit RunRepository(Database& db) : db_(db) {}

  // Inserts the run (id, times filled in) and returns its id.
  int64_t create(RunRecord run);
  std::optional<RunRecord> find(int64_t id);
  std::vector<RunRecord> all();
  // The newest run, if any.
  std::optional<RunRecord> latest();
  void setStatus(int64_t id, const std::string& status, const std::string& message = {});
  void markStarted(int64_t id);

 private:
  Database& db_;
};

}  // namespace sn
