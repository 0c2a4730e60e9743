#include "core/project/run_context.h"

#include "core/project/project.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {

RunContext resolveRun(Project& project, int64_t runId) {
  Store& store = project.store();
  RunContext c;
  c.run = runId > 0 ? store.runs().find(runId) : store.runs().latest();
  if (runId > 0 && !c.run) throw InputError(project.dir() + ": no run " + std::to_string(runId));
  c.config = project.config();
  if (c.run) {
    c.config = ProjectConfig::fromText(c.run->configJson, "run " + std::to_string(c.run->id));
    c.checkpoint = store.checkpoints().latest(c.run->id);
  }
  return c;
}

}  // namespace sn
