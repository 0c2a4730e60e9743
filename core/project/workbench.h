#pragma once
#include <c10/core/Device.h>
#include <memory>
#include <string>

#include "core/data/batch_loader.h"
#include "core/evaluate/evaluator.h"
#include "core/project/project_config.h"
#include "core/train/trainer.h"

namespace sn {

class Project;
class TrainingGroup;
struct CheckpointRecord;

// Everything a run needs in memory: the device, both splits resident on it, the supernet,
// its trainer and evaluator. Built before the database is touched, so bad data or a bad device fails without leaving a
// run behind.
struct Workbench {
  c10::Device device{c10::kCPU};
  std::unique_ptr<BatchLoader> train;
  std::unique_ptr<BatchLoader> test;
  std::unique_ptr<Trainer> trainer;
  std::unique_ptr<Evaluator> evaluator;
  std::string transfer;  // a transferred run: what was copied and adapted ("" otherwise)

  // `group`: the trainer is one rank of a data-parallel run.
  static Workbench prepare(const ProjectConfig& config, const std::string& device, int threads,
                           int epochs, TrainingGroup* group = nullptr);
  // A transferred run's first step: its supernet takes the source's weights (see
  // transferWeights). Nothing when `from` is unset; never on resume (the run's own
  // checkpoint holds its weights then).
  void startFrom(const InitFrom& from);
};

// The checkpoint's absolute path, after checking the file exists and its SHA-256 is the one
// recorded when it was written. InputError naming the file otherwise.
std::string verifiedCheckpointPath(const Project& project, const CheckpointRecord& checkpoint);

}  // namespace sn
