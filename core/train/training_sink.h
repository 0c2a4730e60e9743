#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

struct TrainingProgress {
  int64_t runId = 0;
  int64_t step = 0;  // steps done
  int64_t totalSteps = 0;
  double epoch = 0;  // fractional
  int64_t epochs = 0;
  double imagesPerSecond = 0;
  double etaSeconds = 0;
  double lr = 0;
  // "train", "paused", or the epoch-end evaluation's "recalibrate" / "evaluate" (of the
  // subnet `phaseArch`, `phaseDone` of `phaseTotal` batches done)
  std::string phase;
  int phaseDone = 0;
  int phaseTotal = 0;
  std::string phaseArch;
  std::vector<std::string> sampledArchs;  // this step's sandwich, largest first (train only)
};

struct EpochSummary {
  int64_t runId = 0;
  int64_t epoch = 0;  // 1-based, completed
  double largestAccuracy = 0;
  double smallestAccuracy = 0;
  double seconds = 0;  // wall time since the session started
};

// The one way core reports: training calls these on its own thread. Implementations
// (the CLI printer, the GUI's QObject adapter) must return quickly and not call back.
class TrainingSink {
 public:
  virtual ~TrainingSink() = default;
  virtual void onProgress(const TrainingProgress&) {}
  virtual void onMetrics(int64_t /*runId*/, const std::vector<MetricSample>&) {}
  virtual void onEpoch(const EpochSummary&) {}
  virtual void onMessage(const std::string&) {}
};

}  // namespace sn
