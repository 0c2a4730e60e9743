#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/job_control.h"

namespace sn {

class Project;

// What "New run from this one…" asks for: the new run's name and tags and the whole config
// (space, dataset, recipe) it will train with, usually the source run's with changes.
struct NewRunRequest {
  std::string name;  // empty: "<source name> copy"
  std::vector<std::string> tags;
  nlohmann::json config;
};

// Managing a project's runs beside training them: new runs from another run's recipe,
// names, tags, deletion (rows and checkpoint files) and import from another project. Every
// change is checked first and is all or nothing: bad input leaves the project as it was.
class RunManager {
 public:
  explicit RunManager(Project& project) : project_(project) {}

  // The config run `runId` trained with, as editable JSON (the device it ran on dropped).
  nlohmann::json configOf(int64_t runId);
  // A new run in status "created" that `TrainingSession` with `SessionOptions::runId`
  // trains. The config is validated like a hand-edited project config (InputError).
  int64_t createFrom(int64_t sourceRunId, const NewRunRequest& request);
  // The same from a config of any source; `origin` is what the runs table shows of it.
  int64_t create(const NewRunRequest& request, const std::string& origin);
  void rename(int64_t runId, const std::string& name);
  void setTags(int64_t runId, const std::vector<std::string>& tags);
  // Deletes the run's rows (metrics, checkpoints, subnets) and its checkpoint files; the
  // files removed are returned. Refused for the run a trainer is training now.
  std::vector<std::string> remove(int64_t runId);

  // Copies runs of the project at `otherDir` (every run when `runIds` is empty) into this
  // one with their metrics, subnets and checkpoint files (checked against their SHA-256).
  // The other project is opened as any open does (an older schema is migrated); nothing
  // else there changes.
  // Returns the new ids. A missing or corrupt file of a run undoes that run's import and
  // throws InputError naming the file; runs imported before it stay. `job` hears stage
  // "imported", runs done of runs asked for.
  std::vector<int64_t> importFrom(const std::string& otherDir, std::vector<int64_t> runIds,
                                  const JobControl& job = {});

 private:
  int64_t importOne(const std::string& otherDir, const std::string& otherDatabase, int64_t runId);
  void requireRun(int64_t runId);

  Project& project_;
};

// "a, b ,c" -> {"a", "b", "c"}; InputError for a tag that is too long. Empty parts dropped.
std::vector<std::string> parseTags(const std::string& text);
// Applies "recipe.epochs=3" (a dotted path into the config; the value is JSON, or a string
// when it is not) to `config`. InputError naming the assignment when the path is not there.
void setConfigValue(nlohmann::json& config, const std::string& assignment);

}  // namespace sn
