#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "db/records.h"
#include "db/subnet_view.h"

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
  // The run's subnets with an id above `afterId`, in id order, one at a time: a million rows
  // are read without holding them all as records. `each` returns false to stop early.
  void forEachAfter(int64_t runId, int64_t afterId, const std::function<bool(SubnetRecord&&)>& each);
  // The same rows as views into SQLite's (no string copies), up to `upToId`: the GUI's bulk
  // load, which reads a large run in two id ranges at once.
  void forEachViewAfter(int64_t runId, int64_t afterId, const std::function<bool(const SubnetView&)>& each,
                        int64_t upToId = INT64_MAX);
  // The run's subnets, only their numbers and source (id, epoch, macs, params, sparse macs,
  // accuracy, latency; the text views empty): a third of the time of a whole read, for a
  // first view of a large run. `measuredOnly`: only those with a measured accuracy (not
  // predicted), filtered inside SQLite.
  void forEachCost(int64_t runId, const std::function<bool(const SubnetView&)>& each, bool measuredOnly = false);
  // The run's measured subnets (accuracy measured, not predicted) as points, in id order:
  // id, cost (MACs; latency in ms with `byLatency`, rows without one skipped) and accuracy
  // (0-1). Three columns, the first view of a comparison: half the time of forEachCost.
  void forEachPoint(int64_t runId, bool byLatency,
                    const std::function<void(int64_t id, double cost, double accuracy)>& each);
  // The id of the run's subnet at `offset` in id order (0: the first); 0 when there is none.
  int64_t idAtOffset(int64_t runId, int64_t offset);
  std::optional<SubnetRecord> find(int64_t id);
  int64_t count(int64_t runId);
  // The run's newest subnet id (0: none); an index lookup, the cheap "anything new?" check.
  int64_t lastId(int64_t runId);
  // The checkpoints the run's stored subnets were measured on (each id once).
  std::vector<int64_t> checkpointIdsOf(int64_t runId);

 private:
  // The run's first and last subnet ids ({0, 0}: none), an index lookup each: the id range a
  // scan of the run reads.
  std::pair<int64_t, int64_t> idSpan(int64_t runId);

  Database& db_;
};

}  // namespace sn
