#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/latency/latency_model.h"
#include "core/project/project_config.h"
#include "db/records.h"

#include "core/util/job_control.h"

namespace sn {

class Project;

struct LatencyTableRequest {
  int64_t runId = 0;  // whose space and data shape; 0: the newest run (or the project)
  std::string device = "cpu";
  int threads = 1;
  int batch = 1;
  int warmup = 10;
  int runs = 100;
  int validate = 50;  // random subnets measured end to end (twice) against the table's prediction
  std::string method = "in-network";  // or "isolated" (see LatencyOptions)
  uint64_t seed = 1;
  JobControl job;  // stages "blocks", "validate"
};

struct LatencyTableResult {
  LatencyTableRecord table;  // stored, with its checks
  LatencyAccuracy accuracy;  // of the checks, 10% tolerance
  LatencyNoise noise;        // of the checks' two measurements
};

// Times the space's block configurations on the device, checks the table against measured
// subnets and stores both. Cancelled is thrown on stop (nothing is stored then).
LatencyTableResult buildProjectLatencyTable(Project& project, const LatencyTableRequest& request);

// The newest stored table for this project's space/shape on `deviceName` at `batch`.
std::optional<LatencyTableRecord> findLatencyTable(Project& project, const ProjectConfig& config,
                                                   const std::string& deviceName, int64_t batch);

}  // namespace sn
