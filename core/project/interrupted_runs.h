#pragma once
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

// A run stored as "running" whose trainer no longer holds the project's TrainingLock (it was
// killed, or its machine went down) is shown as "interrupted": `resume` continues it, from
// its last checkpoint or, killed before the first one, from step 0. Display only: the stored
// status stays, so a trainer that is alive is never contradicted.
void markInterruptedRuns(std::vector<RunRecord>& runs, const std::string& projectDir);

}  // namespace sn
