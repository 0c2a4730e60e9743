#pragma once
#include <string_view>

namespace sn {

// A run's life, as stored in runs.status (the names are the column's CHECK values).
// Interrupted is never stored: it is how a run stored as Running is shown once its trainer
// is gone (see core/project/interrupted_runs.h).
enum class RunStatus { Created, Running, Stopped, Finished, Failed, Interrupted };

const char* runStatusName(RunStatus status);
// Throws DbError naming the text when it is none of the names above.
RunStatus parseRunStatus(std::string_view name);
// Stopped, finished or failed: the run has a finish time.
bool runEnded(RunStatus status);

}  // namespace sn
