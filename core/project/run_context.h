#pragma once
#include <cstdint>
#include <optional>

#include "core/project/project_config.h"
#include "db/records.h"

namespace sn {

class Project;

// A run of a project and the config it trains with (a run keeps the config it started
// with, which may differ from the project's now). Without runs: the project's config.
struct RunContext {
  std::optional<RunRecord> run;
  ProjectConfig config;
  std::optional<CheckpointRecord> checkpoint;  // the run's latest
};

// runId 0: the newest run. InputError when the given run does not exist.
RunContext resolveRun(Project& project, int64_t runId);

}  // namespace sn
