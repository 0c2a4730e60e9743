#pragma once
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

class Database;

class MetricRepository {
 public:
  explicit MetricRepository(Database& db) : db_(db) {}

  // All samples in one transaction: a reader sees every sample of a batch or none.
  void append(int64_t runId, const std::vector<MetricSample>& samples);
  // Samples of one key, by step; afterStep lets a watcher fetch only what is new.
  std::vector<MetricSample> series(int64_t runId, const std::string& key, int64_t afterStep = -1);
  std::vector<std::string> keys(int64_t runId);
  int64_t count(int64_t runId);
  // Drops samples past a step: a resumed run rewrites what came after its checkpoint.
  void truncateAfter(int64_t runId, int64_t step);

 private:
  Database& db_;
};

}  // namespace sn
