#pragma once
#include <atomic>
#include <functional>
#include <cstdint>
#include <string>
#include <vector>

#include "core/space/arch.h"
#include "db/records.h"

namespace sn {

class Project;

struct SubnetEvaluationRequest {
  std::vector<std::string> archTexts;  // evaluated in order
  int sample = 0;                      // plus this many random subnets
  int64_t runId = 0;                   // 0: the newest run
  std::string device = "cpu";
  int threads = 0;
  uint64_t seed = 1;  // for --sample
  const std::atomic<bool>* stop = nullptr;
  // Called after each subnet with (done, total).
  std::function<void(int, int)> progress;
};

struct SubnetEvaluationResult {
  std::vector<SubnetRecord> subnets;
  bool stored = false;      // false when the project has no run to store them under
  bool trained = false;     // false: no checkpoint, the supernet as initialised was used
  std::string checkpoint;   // relative path of the checkpoint used
};

// Evaluates subnets of a run's latest checkpoint (BN recalibration, test top-1, exact
// MACs/params) and stores each as an 'evaluated' subnet of that run.
SubnetEvaluationResult evaluateSubnets(Project& project, const SubnetEvaluationRequest& request);

}  // namespace sn
