#pragma once
#include <string>

#include "db/checkpoint_repository.h"
#include "db/database.h"
#include "db/latency_repository.h"
#include "db/metric_repository.h"
#include "db/project_settings.h"
#include "db/run_repository.h"
#include "db/subnet_repository.h"

namespace sn {

// The project database: one connection plus its typed repositories. Open one Store per
// thread; WAL lets a reader Store and the writer Store run at once.
class Store {
 public:
  // ReadWrite migrates to the current schema; ReadOnly only checks the version.
  // Threads::One: see Database::Threads.
  explicit Store(const std::string& path, Database::Mode mode = Database::Mode::ReadWrite,
                 Database::Threads threads = Database::Threads::Shared);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Database& db() { return db_; }
  RunRepository& runs() { return runs_; }
  MetricRepository& metrics() { return metrics_; }
  CheckpointRepository& checkpoints() { return checkpoints_; }
  SubnetRepository& subnets() { return subnets_; }
  ProjectSettings& settings() { return settings_; }
  LatencyRepository& latency() { return latency_; }

 private:
  static Database openChecked(const std::string& path, Database::Mode mode,
                              Database::Threads threads);

  Database db_;
  RunRepository runs_;
  MetricRepository metrics_;
  CheckpointRepository checkpoints_;
  SubnetRepository subnets_;
  ProjectSettings settings_;
  LatencyRepository latency_;
};

}  // namespace sn
