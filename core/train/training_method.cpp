#include "core/train/training_method.h"

#include "core/train/attentive_method.h"
#include "core/train/complexity_shifted_method.h"
#include "core/train/delayed_shrinking_method.h"
#include "core/train/lr_schedule.h"
#include "core/train/progressive_shrinking_method.h"
#include "core/train/sandwich_method.h"
#include "core/train/train_recipe.h"
#include "core/train/uniform_method.h"
#include "core/util/input_error.h"

namespace sn {

double TrainingMethod::learningRate(double base, int64_t step, int64_t warmupSteps, int64_t totalSteps) const {
  return cosineWarmupLr(base, step, warmupSteps, totalSteps);
}

void TrainingMethod::afterStep(int64_t, const std::vector<PlannedPass>&, const std::vector<at::Tensor>&) {}

void TrainingMethod::observe(const std::vector<Arch>&, const std::vector<double>&) {}

std::vector<std::pair<std::string, double>> TrainingMethod::metricValues(int64_t) const { return {}; }

SearchSpace TrainingMethod::enabledChoices(int64_t) const { return space_; }

double TrainingMethod::passCost(const std::vector<PlannedPass>& passes, int extraForwards) {
  double cost = extraForwards / 3.0;
  for (const PlannedPass& p : passes) cost += p.kind == PassKind::Teacher ? 1.0 / 3.0 : 1.0;
  return cost;
}

std::string TrainingMethod::state() const { return ""; }

void TrainingMethod::restore(const std::string& state, const std::string& origin) {
  if (!state.empty()) throw InputError(origin + ": the checkpoint holds another training method's state");
}

std::unique_ptr<TrainingMethod> makeTrainingMethod(const TrainRecipe& recipe, const SearchSpace& space,
                                                   const NetShape& shape, int64_t stepsPerEpoch,
                                                   int64_t totalSteps) {
  const MethodSpec& m = recipe.method;
  if (m.name == "uniform") return std::make_unique<UniformMethod>(space, m.uniform);
  if (m.name == "progressive-shrinking") {
    return std::make_unique<ProgressiveShrinkingMethod>(space, m.progressiveShrinking, stepsPerEpoch, totalSteps);
  }
  if (m.name == "attentive") {
    return std::make_unique<AttentiveMethod>(space, shape, m.attentive, recipe.subnetsPerStep, recipe.seed);
  }
  if (m.name == "delayed-shrinking") {
    return std::make_unique<DelayedShrinkingMethod>(space, m.delayedShrinking, recipe.subnetsPerStep, totalSteps);
  }
  if (m.name == "complexity-shifted") {
    return std::make_unique<ComplexityShiftedMethod>(space, shape, m.complexityShifted, recipe.subnetsPerStep,
                                                     recipe.seed);
  }
  return std::make_unique<SandwichMethod>(space, recipe.subnetsPerStep);
}

}  // namespace sn
