#pragma once
#include "core/train/method_spec.h"
#include "core/train/training_method.h"

namespace sn {

// DεpS (Annavajjala, Khare et al., ECCV 2024): the largest network alone from the labels
// until the switch step, then the sandwich (largest, smallest, random subnets by in-place
// distillation from a partially trained largest). From the switch on, each subnet's loss
// weight is set so that its effective learning rate rises linearly from 0 to the schedule's
// learning rate at the ramp's end, and stays at the schedule's after.
class DelayedShrinkingMethod : public TrainingMethod {
 public:
  DelayedShrinkingMethod(SearchSpace space, DelayedShrinkingSpec spec, int randomSubnets, int64_t totalSteps);

  std::vector<PlannedPass> plan(const StepContext& context) override;
  std::vector<std::pair<std::string, double>> metricValues(int64_t step) const override;

  int64_t switchStep() const { return switchStep_; }
  // The subnets' loss weight at `context.step` (0 before the switch).
  double subnetWeight(const StepContext& context) const;

 private:
  DelayedShrinkingSpec spec_;
  int randomSubnets_;
  int64_t switchStep_;
  int64_t rampSteps_;
  double lastWeight_ = 0;  // the last plan's, for the metric row
};

}  // namespace sn
