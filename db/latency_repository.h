#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

class Database;

// Latency lookup tables of the project, newest kept per key; older ones stay for history.
class LatencyRepository {
 public:
  explicit LatencyRepository(Database& db) : db_(db) {}

  // Stores the table, its entries and checks in one transaction; returns its id.
  int64_t add(const LatencyTableRecord& table);
  // Replaces the checks of a stored table (a new validation).
  void setChecks(int64_t tableId, const std::vector<LatencyCheck>& checks);
  // The newest table for this key, entries and checks included.
  std::optional<LatencyTableRecord> latest(const std::string& device, const std::string& spaceHash,
                                           const std::string& inputShape, int64_t batch);
  // Every stored table without entries or checks, newest first.
  std::vector<LatencyTableRecord> list();
  std::optional<LatencyTableRecord> find(int64_t id);
  // Changes whenever a table is added or removed or its checks are replaced: one aggregate
  // query, so a view can tell whether to re-read the tables without reading them.
  std::string changeStamp();

 private:
  void loadDetails(LatencyTableRecord& table);

  Database& db_;
};

}  // namespace sn
