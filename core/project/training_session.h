#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "core/train/training_sink.h"

namespace sn {

class Project;
class TrainingGroup;

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
  // Data-parallel training: this process is one rank of `group`. Rank 0 does what a single
  // process does (lock, run, metrics, subnets, checkpoints); the other ranks write nothing
  // in the project and train the run rank 0 announces. Pause is not offered (a paused rank
  // would stall the others); a stop on any rank stops every rank after the same step; the
  // epoch-end evaluation runs on every rank (rank 0 records it) and is not cancelled.
  TrainingGroup* group = nullptr;
  // After every step, compare a digest of every rank's parameters (and, with synchronised
  // batch norm, buffers): a divergence stops the run naming the step and the rank.
  bool checkReplicas = false;
};

struct SessionResult {
  int64_t runId = 0;
  RunStatus status = RunStatus::Stopped;  // Finished or Stopped
  int64_t step = 0;
  int64_t totalSteps = 0;
  double largestAccuracy = -1;  // of the last evaluation; -1 when none ran
  double smallestAccuracy = -1;
  double seconds = 0;
  int worldSize = 1;
  int64_t replicaChecks = 0;  // steps after which every rank's replica was found identical
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
  // A rank other than 0: trains the run rank 0 announces.
  SessionResult follow(bool resuming);
  // Rank 0 tells the other ranks which run (and checkpoint) to train; "failed: ..." when
  // rank 0 could not start, so they stop at once instead of waiting out the timeout.
  void announce(const std::string& run, const std::string& checkpoint = "");
  template <class F>
  SessionResult announcing(F body);
  bool follower() const;
  void announceRun(int64_t runId, const std::string& checkpoint = "");

  Project& project_;
  SessionOptions options_;
  bool announced_ = false;
};

}  // namespace sn
