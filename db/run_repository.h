#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

class Database;

// Tags as stored and shown: comma-separated. A tag holds no comma (parseTags splits on them).
std::string joinTags(const std::vector<std::string>& tags);

class RunRepository {
 public:
  explicit RunRepository(Database& db) : db_(db) {}

  // Inserts the run (id, times filled in) and returns its id.
  int64_t create(RunRecord run);
  std::optional<RunRecord> find(int64_t id);
  std::vector<RunRecord> all();
  // The newest run, if any.
  std::optional<RunRecord> latest();
  void setStatus(int64_t id, RunStatus status, const std::string& message = {});
  void markStarted(int64_t id);
  void setConfig(int64_t id, const std::string& configJson);
  void rename(int64_t id, const std::string& name);
  // Tags are stored comma-separated: a tag holds no comma (the caller checks).
  void setTags(int64_t id, const std::vector<std::string>& tags);
  // Deletes the run and, through the foreign keys, its metrics, checkpoints' rows and
  // subnets. The checkpoint files are the caller's to remove.
  void remove(int64_t id);
  // Places an imported run's checkpoint files: called inside the import's transaction with
  // the new run's id and its checkpoint rows (paths still the source project's), it returns
  // each row's new path by id. An exception from it rolls the whole import back.
  using PlaceCheckpoints = std::function<std::map<int64_t, std::string>(
      int64_t runId, const std::vector<CheckpointRecord>& checkpoints)>;
  // Copies run `sourceRunId` of another project database (schema 1 or newer) into this one
  // as a new run with its metrics, checkpoints' rows and subnets, and `place`s the
  // checkpoint files, in one transaction: a process killed half-way leaves no trace of the
  // run here (files `place` had copied are unrecorded). Returns the new id.
  int64_t importRun(const std::string& sourcePath, int64_t sourceRunId, const std::string& origin,
                    const PlaceCheckpoints& place);

 private:
  Database& db_;
};

}  // namespace sn
