#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "db/records.h"

#include "core/util/job_control.h"

namespace sn {

class Project;

// One subnet of a run's latest checkpoint as a pruned model of its own:
// - a ticket (a pruning run's subnet, masks as trained) retrained on its own for a few
//   epochs, pruned weights kept at zero: stored with source "retrained";
// - the dense-then-prune baseline (pruneTo >= 0, normally on a dense run): the subnet
//   magnitude-pruned once to `pruneTo` of its prunable weights, BN recalibrated and
//   evaluated ("oneshot"), then fine-tuned the same way ("oneshot-ft").
struct TicketRequest {
  int64_t runId = 0;     // 0: the newest run
  std::string arch;      // max | min | arch text
  double pruneTo = -1;   // < 0: keep the run's own masks
  int fineTuneEpochs = 1;
  double fineTuneLr = 0.01;
  std::string device = "cpu";
  int threads = 0;
  JobControl job;  // stages "loading checkpoint", "recalibrate", "evaluate", "fine-tuning", ...
};

// The rows stored, in order (each also in the project database, workSeconds counted from
// the checkpoint load on). Throws Cancelled when stopped (rows stored so far stay).
std::vector<SubnetRecord> evaluateTicket(Project& project, const TicketRequest& request);

}  // namespace sn
