#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace sn {

// Where a long operation stands: `done` of `total` units of its current `stage`
// ("evaluated", "recalibrate", "fine-tune", "verify"...).
struct JobProgress {
  std::string stage;
  int64_t done = 0;
  int64_t total = 0;
};

// The one contract between core's long operations (evaluate, search, export, latency
// tables, tickets, predictor studies, imports) and whoever runs them: progress goes out
// through one listener, cancel comes in through one atomic flag the work polls between its
// units. The GUI's BackgroundJob and the CLI's progress line each adapt it once. A
// default-made control reports nowhere and is never cancelled.
class JobControl {
 public:
  using Listener = std::function<void(const JobProgress&)>;

  JobControl() = default;
  JobControl(const std::atomic<bool>* cancel, Listener listener)
      : cancel_(cancel), listener_(std::move(listener)) {}

  bool cancelled() const { return cancel_ && cancel_->load(); }
  // Throws Cancelled when the flag is set: long work calls it between units.
  void throwIfCancelled() const;
  void report(const std::string& stage, int64_t done, int64_t total) const;
  // Between two units of work: throwIfCancelled, then report.
  void tick(const std::string& stage, int64_t done, int64_t total) const;
  // For lower layers that only poll a flag (a batch loop); null when none.
  const std::atomic<bool>* cancelFlag() const { return cancel_; }
  // The same cancel flag with progress renamed into one stage: a step that reports in its
  // own units (a fine-tune's steps) shown as a stage of the whole job.
  JobControl asStage(const std::string& stage) const;

 private:
  const std::atomic<bool>* cancel_ = nullptr;
  Listener listener_;
};

}  // namespace sn
