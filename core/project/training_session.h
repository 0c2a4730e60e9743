#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "core/train/training_sink.h"

namespace sn {

class Project;

struct SessionOptions {
  int epochs = 0;  // 0: the recipe's
  std::string device = "cpu";
  int threads = 0;  // 0: every core
  std::string runName;
  // start(): 0 trains a new run with the project's config; N trains run N, one made by
  // RunManager::createFrom that has not started yet, with its own config.
  int64_t runId = 0;
  // Set from any thread. stop: ends the run after the current step (or cancels the
  // epoch-end evaluation) with a checkpoint. pause: holds the run between steps, in memory,
  // until cleared; paused time counts in neither throughput nor ETA.
  const std::atomic<bool>* stop = nullptr;
  const std::atomic<bool>* pause = nullptr;
  TrainingSink* sink = nullptr;
};

struct SessionResult {
  int64_t runId = 0;
  std::string status;  // finished | stopped
  int64_t step = 0;
  int64_t totalSteps = 0;
  double largestAccuracy = -1;  // of the last evaluation; -1 when none ran
  double smallestAccuracy = -1;
  double seconds = 0;
};

// Trains one run of a project: loads the data onto the device, trains, evaluates the
// largest and smallest subnets each epoch, checkpoints each epoch and on stop, and writes
// metrics, subnets and checkpoints to the project database as it goes. Holds the project's
// TrainingLock for the whole run: a second trainer of the same folder gets an InputError.
class TrainingSession {
 public:
  TrainingSession(Project& project, SessionOptions options);

  SessionResult start();
  // Continues run `runId` (0: the newest run) from its latest checkpoint, exactly.
  SessionResult resume(int64_t runId = 0);

 private:
  SessionResult startCreated();

  Project& project_;
  SessionOptions options_;
};

}  // namespace sn
