#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/search/subnet_skyline.h"
#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "db/records.h"
#include "views/compact_subnets.h"
#include "views/value_span.h"

namespace sn {

// What the Subnets tab asks to be loaded: a run of a project database, with the newest
// latency table for the subnets whose latency was not measured.
struct SubnetLoadRequest {
  std::string databasePath;
  int64_t runId = 0;
  std::optional<LatencyTableRecord> latencyTable;
  std::string latencyStamp;  // changes whenever the project's tables do
  SearchSpace space;
  NetShape shape;
};

// A run's subnets prepared for the Subnets tab on a worker thread, then only read: the
// rows, each subnet's latency (measured, else the table's prediction), the skyline the
// constraint sliders query, and the sliders' ranges.
struct SubnetSnapshot {
  int64_t runId = 0;
  std::string latencyStamp;
  CompactSubnets subnets;
  std::vector<double> latency;  // ms; NaN: neither measured nor predicted
  std::vector<bool> latencyPredicted;
  SubnetSkyline skyline;
  ValueSpan macsM, paramsM, latencyMs;
  std::string latencyError;  // the table did not fit this space (its latencies are left out)
  bool incremental = false;  // the previous snapshot plus the rows after its last id

  bool hasLatency(size_t i) const { return !std::isnan(latency[i]); }
};

// Whether a load of `request` would start from `previous` (the same run and latency
// tables) and read only the rows after its last id.
bool extendsSnapshot(const SubnetSnapshot* previous, const SubnetLoadRequest& request);

// Reads the run on its own read-only connection. Given the previous snapshot of the same
// run and latency tables, only the rows after its last id are read and its rows shared; a
// run whose rows were deleted or replaced is read whole. Null when `superseded` turns true
// midway. Throws InputError/DbError naming the file.
std::shared_ptr<const SubnetSnapshot> loadSubnetSnapshot(const SubnetLoadRequest& request,
                                                         const std::shared_ptr<const SubnetSnapshot>& previous,
                                                         const std::atomic<bool>& superseded);

}  // namespace sn
