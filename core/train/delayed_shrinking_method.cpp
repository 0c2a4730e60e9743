#include "core/train/delayed_shrinking_method.h"

#include <cmath>

#include "core/train/sandwich_method.h"

namespace sn {

DelayedShrinkingMethod::DelayedShrinkingMethod(SearchSpace space, DelayedShrinkingSpec spec, int randomSubnets,
                                               int64_t totalSteps)
    : TrainingMethod(std::move(space)),
      spec_(spec),
      randomSubnets_(randomSubnets),
      switchStep_(std::llround(spec.switchFraction * static_cast<double>(totalSteps))),
      rampSteps_(std::llround(spec.rampFraction * static_cast<double>(totalSteps))) {}

double DelayedShrinkingMethod::subnetWeight(const StepContext& c) const {
  if (c.step < switchStep_) return 0;
  const int64_t into = c.step - switchStep_;
  if (into >= rampSteps_) return 1;
  // The effective rate lr(t) x w(t) climbs to lr(ramp end) in equal steps.
  const double target = learningRate(c.baseLr, switchStep_ + rampSteps_, c.warmupSteps, c.totalSteps);
  const double now = learningRate(c.baseLr, c.step, c.warmupSteps, c.totalSteps);
  if (now <= 0) return 1;
  return static_cast<double>(into + 1) / static_cast<double>(rampSteps_) * target / now;
}

std::vector<PlannedPass> DelayedShrinkingMethod::plan(const StepContext& context) {
  if (context.step < switchStep_) {
    lastWeight_ = 0;
    return {{Arch::largest(space_), PassRole::Largest, PassKind::Labels, 1.0}};
  }
  const double weight = subnetWeight(context);
  lastWeight_ = weight;
  std::vector<PlannedPass> passes = SandwichMethod::ends(space_, weight);
  for (int i = 0; i < randomSubnets_; ++i) {
    passes.push_back({Arch::sample(space_, *context.rng), PassRole::Sampled, PassKind::Distill, weight});
  }
  return passes;
}

std::vector<std::pair<std::string, double>> DelayedShrinkingMethod::metricValues(int64_t step) const {
  return {{"sampling/shrinking", step >= switchStep_ ? 1.0 : 0.0}, {"sampling/subnet_weight", lastWeight_}};
}

}  // namespace sn
