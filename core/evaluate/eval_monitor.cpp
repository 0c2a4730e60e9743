#include "core/evaluate/eval_monitor.h"

#include "core/util/cancelled.h"

namespace sn {

void EvalMonitor::tick(const std::string& phase, int done, int total) const {
  if (progress) progress(phase, done, total);
  if (cancel && cancel->load()) throw Cancelled();
}

}  // namespace sn
