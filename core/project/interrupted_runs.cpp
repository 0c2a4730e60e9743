#include "core/project/interrupted_runs.h"

#include "core/project/training_lock.h"

namespace sn {

void markInterruptedRuns(std::vector<RunRecord>& runs, const std::string& projectDir) {
  bool checked = false, trainerAlive = false;
  for (RunRecord& run : runs) {
    if (run.status != RunStatus::Running) continue;
    if (!checked) {
      trainerAlive = TrainingLock::holder(projectDir).has_value();
      checked = true;
    }
    if (!trainerAlive) run.status = RunStatus::Interrupted;
  }
}

}  // namespace sn
