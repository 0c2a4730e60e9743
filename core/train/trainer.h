#pragma once
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/data/batch_loader.h"
#include "core/distributed/gradient_all_reducer.h"
#include "core/prune/prune_report.h"
#include "core/space/arch.h"
#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "core/train/train_recipe.h"
#include "core/train/training_method.h"

namespace torch::optim {
class Optimizer;
}

namespace sn {

class MagnitudePruner;
class ChannelShrinker;
class TrainingGroup;

// What one sandwich step did. Losses stay on the device as one tensor so a step never
// waits for the host; read them (toCpu) only when logging.
struct StepReport {
  int64_t step = 0;      // the step just taken (0-based)
  double epoch = 0;      // fractional epoch after it
  double lr = 0;
  int64_t images = 0;    // images forwarded (batch x subnets)
  at::Tensor values;     // in StepValues' layout
  std::vector<Arch> archs;  // the method's passes, in order (largest, smallest, random... for sandwich)
  std::optional<PruneReport> prune;  // a pruning step opened this step's epoch
  // Distributed: every rank's vote agreed to stop after this step (else the caller's own
  // request), the values above are means over the ranks, and what the all-reduce cost.
  bool stop = false;
  std::optional<AllReduceStats> allReduce;
};

// Trains a supernet by the recipe's method (TrainingMethod): each step the method plans
// which subnets learn and how; by default the sandwich rule, where the largest subnet learns
// from the labels, the smallest and N random subnets from the largest's soft predictions
// (in-place distillation). One optimizer step over the summed gradients.
//
// With recipe.pruning enabled, every subnet of the sandwich sees the supernet's shared
// pruning masks: at the scheduled epoch boundaries the masks are recomputed (and channels
// shrunk) before the epoch's first step, so the largest and the smallest both become tickets.
//
// Every random stream (sample order, augmentation, dropout, sampled archs) is derived from
// (seed, epoch) or (seed, step), so resuming from a checkpoint repeats an uninterrupted run.
//
// With a TrainingGroup (data-parallel ranks), every rank samples the same subnets, reads its
// own slice of each global batch (the recipe's batch x the world size it started with) and
// averages gradients over the ranks after the last backward, so every rank takes the same
// optimizer step. Augmentation and dropout streams differ per rank (rank 0's is the
// single-process one).
class Trainer {
 public:
  Trainer(Supernet net, TrainRecipe recipe, const BatchLoader& train, int64_t totalEpochs,
          TrainingGroup* group = nullptr);
  ~Trainer();

  // `stopWanted`: this process was asked to stop; with a group it is a vote carried in the
  // step's all-reduce, so that every rank stops after the same step (report.stop).
  StepReport step(bool stopWanted = false);

  int64_t globalStep() const { return step_; }
  int64_t stepsPerEpoch() const { return stepsPerEpoch_; }
  int64_t totalSteps() const { return stepsPerEpoch_ * totalEpochs_; }
  bool finished() const { return step_ >= totalSteps(); }
  bool atEpochEnd() const { return step_ > 0 && step_ % stepsPerEpoch_ == 0; }
  int64_t completedEpochs() const { return step_ / stepsPerEpoch_; }
  int64_t globalBatch() const { return globalBatch_; }
  int64_t localBatch() const { return localBatch_; }
  TrainingGroup* group() const { return group_; }

  // `extra` carries the caller's part of the meta (pending metrics); step, epoch, seed and
  // space are filled in here.
  void save(const std::string& path, CheckpointMeta extra = {});
  CheckpointMeta load(const std::string& path);
  // Makes every rank start from rank 0's weights and buffers (as DDP does at construction);
  // the same seed already gives the same weights, this makes it certain.
  void broadcastFromRankZero();

  Supernet& net() { return net_; }
  const TrainRecipe& recipe() const { return recipe_; }
  torch::optim::Optimizer& optimizer() { return *optimizer_; }
  TrainingMethod& method() { return *method_; }
  // Null unless the recipe prunes (and shrinks).
  MagnitudePruner* pruner() { return pruner_.get(); }
  ChannelShrinker* shrinker() { return shrinker_.get(); }

 private:
  // Cross-entropy of each arch on the batch, without gradient (attentive's loss criterion).
  std::vector<double> lossesOf(const std::vector<Arch>& archs, const at::Tensor& images, const at::Tensor& labels);
  at::Tensor forwardLogits(const at::Tensor& images);
  // The pass's loss (a Teacher pass: its cross-entropy, for the metrics).
  at::Tensor passLoss(PassKind kind, const at::Tensor& logits, const at::Tensor& labels, const at::Tensor& teacher) const;
  at::Tensor stepValues(const std::vector<PlannedPass>& passes, const std::vector<at::Tensor>& losses,
                        const at::Tensor& trainAcc, double passCost) const;
  at::Tensor batchIndices();
  void setLearningRate(double lr);
  PruneReport pruneStep(int64_t epoch);
  void averageOverRanks(StepReport& report, bool stopWanted);

  Supernet net_;
  TrainRecipe recipe_;
  const BatchLoader& train_;
  int64_t totalEpochs_;
  TrainingGroup* group_;
  int rank_ = 0;
  int64_t globalBatch_;
  int64_t localBatch_;
  int64_t stepsPerEpoch_;
  int64_t step_ = 0;
  int64_t orderEpoch_ = -1;
  at::Tensor order_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::unique_ptr<MagnitudePruner> pruner_;
  std::unique_ptr<ChannelShrinker> shrinker_;
  std::unique_ptr<GradientAllReducer> reducer_;
  std::unique_ptr<TrainingMethod> method_;
};

}  // namespace sn
