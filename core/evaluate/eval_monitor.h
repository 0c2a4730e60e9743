#pragma once
#include <atomic>
#include <functional>
#include <string>

namespace sn {

// Progress and cancellation of one evaluation. `progress(phase, done, total)` is called on
// the evaluating thread after each batch (phase "recalibrate" or "evaluate"); when `cancel`
// becomes true the evaluator throws Cancelled before the next batch.
struct EvalMonitor {
  std::function<void(const std::string& phase, int done, int total)> progress;
  const std::atomic<bool>* cancel = nullptr;

  void tick(const std::string& phase, int done, int total) const;
};

}  // namespace sn
