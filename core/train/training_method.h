#pragma once
#include <ATen/core/Tensor.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"

namespace sn {

struct TrainRecipe;

// What a pass of a step stands for in the metrics: the largest network (its loss and train
// accuracy are the curves' "largest"), the smallest, or any other subnet ("random").
enum class PassRole { Largest, Smallest, Sampled };

// How a pass learns. Labels: cross-entropy. Distill: from the step's teacher (the largest
// network's soft predictions, earlier in the same step); from the labels when the step has no
// teacher or the recipe's distillation is "none". LabelsAndDistill: both losses summed, as
// Once-for-All's elastic phases do (a teacher that is not trained from the labels in the
// same step cannot anchor its students alone: with distillation only, every subnet drifts
// toward one constant prediction, which matches any other perfectly). Teacher: a forward
// without gradient that only gives the soft predictions.
enum class PassKind { Labels, Distill, LabelsAndDistill, Teacher };

struct PlannedPass {
  Arch arch;
  PassRole role = PassRole::Sampled;
  PassKind kind = PassKind::Distill;
  double weight = 1.0;  // of the loss in the step's gradient
};

// The step a method is asked to plan. `lossOf` forwards archs on the step's batch without
// gradient and returns each one's cross-entropy (attentive's "loss" criterion).
struct StepContext {
  int64_t step = 0;
  // The learning-rate schedule's inputs (learningRate's arguments but the step).
  double baseLr = 0;
  int64_t warmupSteps = 0;
  int64_t totalSteps = 0;
  std::mt19937_64* rng = nullptr;
  std::function<std::vector<double>(const std::vector<Arch>&)> lossOf;
};

// A supernet training method: which subnets each step trains and how (recipe.method). Every
// choice is a function of (seed, step) and of state the checkpoint carries (state/restore),
// so a resumed run repeats an uninterrupted one.
class TrainingMethod {
 public:
  virtual ~TrainingMethod() = default;

  virtual std::vector<PlannedPass> plan(const StepContext& context) = 0;
  // The step's learning rate; by default linear warmup then cosine over the whole run.
  virtual double learningRate(double base, int64_t step, int64_t warmupSteps, int64_t totalSteps) const;
  // Step `step`'s losses (one 0-dim tensor per pass, on the training device), after backward.
  virtual void afterStep(int64_t step, const std::vector<PlannedPass>& passes, const std::vector<at::Tensor>& losses);
  // The epoch end's evaluations (largest, smallest, probe set) with their test accuracies.
  virtual void observe(const std::vector<Arch>& archs, const std::vector<double>& accuracy);
  // Method-specific `sampling/...` metric values as of the current step (phase, bin
  // probabilities, ...), written with each metric row.
  virtual std::vector<std::pair<std::string, double>> metricValues(int64_t step) const;
  // The choices the method may sample at `step` (Progressive Shrinking's phase); the whole
  // space otherwise.
  virtual SearchSpace enabledChoices(int64_t step) const;
  // Sandwich-equivalent passes of a plan: a forward and backward count 1, a forward 1/3.
  static double passCost(const std::vector<PlannedPass>& passes, int extraForwards = 0);

  virtual std::string state() const;
  // InputError naming `origin` when the state is not this method's.
  virtual void restore(const std::string& state, const std::string& origin);

 protected:
  explicit TrainingMethod(SearchSpace space) : space_(std::move(space)) {}
  SearchSpace space_;
};

// The recipe's method for a trainer of `stepsPerEpoch` x `totalSteps`.
std::unique_ptr<TrainingMethod> makeTrainingMethod(const TrainRecipe& recipe, const SearchSpace& space,
                                                   const NetShape& shape, int64_t stepsPerEpoch,
                                                   int64_t totalSteps);

}  // namespace sn
