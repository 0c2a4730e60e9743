#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/space/arch.h"
#include "core/util/job_control.h"
#include "db/records.h"

namespace sn {

class Project;

struct SubnetEvaluationRequest {
  std::vector<std::string> archTexts;  // evaluated in order
  std::vector<Arch> archs;             // then these (search results)
  int sample = 0;                      // plus this many uniform random subnets
  int spread = 0;                      // plus this many spread across the MAC range
  int64_t runId = 0;                   // 0: the newest run
  std::string device = "cpu";
  int threads = 0;
  uint64_t seed = 1;  // for sample and spread
  bool measureLatency = true;
  int latencyBatch = 1;
  int latencyRuns = 50;
  SubnetSource source = SubnetSource::Evaluated;  // or Searched for verified search results
  // Other BN-recalibration samples than the recipe's seed picks: what a second evaluation
  // of the same subnets differs by (the predictor's ceiling).
  std::optional<uint64_t> recalSeed;
  // Test images from this one on (still the config's test_limit of them): another subset.
  std::optional<int64_t> testOffset;
  bool store = true;  // false: measure only, the project is not written
  // Cancel, and progress after each subnet: stage "evaluated", done of total.
  JobControl job;
};

struct SubnetEvaluationResult {
  std::vector<SubnetRecord> subnets;
  bool stored = false;      // false when the project has no run to store them under
  bool trained = false;     // false: no checkpoint, the supernet as initialised was used
  bool cancelled = false;   // stopped before every subnet was done; the done ones are stored
  std::string checkpoint;   // relative path of the checkpoint used
};

// Evaluates subnets of a run's latest checkpoint: BN recalibration, test top-1, exact
// MACs/params, and the measured latency of the extracted subnet (median of timed runs
// after warm-up). Each is stored as it completes, tagged with run, checkpoint and source.
SubnetEvaluationResult evaluateSubnets(Project& project, const SubnetEvaluationRequest& request);

}  // namespace sn
