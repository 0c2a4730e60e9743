#include "db/run_status.h"

#include <array>
#include <string>

#include "db/db_error.h"

namespace sn {

namespace {
constexpr std::array<const char*, 6> kRunStatusNames = {"created",  "running", "stopped",
                                                        "finished", "failed",  "interrupted"};
}

const char* runStatusName(RunStatus status) { return kRunStatusNames[static_cast<size_t>(status)]; }

RunStatus parseRunStatus(std::string_view name) {
  for (size_t i = 0; i < kRunStatusNames.size(); ++i)
    if (name == kRunStatusNames[i]) return static_cast<RunStatus>(i);
  throw DbError("unknown run status '" + std::string(name) + "'");
}

bool runEnded(RunStatus status) {
  return status == RunStatus::Stopped || status == RunStatus::Finished ||
         status == RunStatus::Failed;
}

}  // namespace sn
