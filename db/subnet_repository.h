#pragma once
#include <optional>
#include <vector>

#include "db/records.h"

namespace sn {

class Database;

class SubnetRepository {
 public:
  explicit SubnetRepository(Database& db) : db_(db) {}

  int64_t add(const SubnetRecord& subnet);
  // All of them or none (one transaction): a result that is a set, such as a search's
  // candidates, is never seen half-stored. Sets each record's id.
  void addAll(std::vector<SubnetRecord>& subnets);
  std::vector<SubnetRecord> forRun(int64_t runId);
  std::optional<SubnetRecord> find(int64_t id);
  int64_t count(int64_t runId);
  // The checkpoints the run's stored subnets were measured on (each id once).
  std::vector<int64_t> checkpointIdsOf(int64_t runId);

 private:
  Database& db_;
};

}  // namespace sn
