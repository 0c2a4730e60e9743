#pragma once
#include <string>

#include "core/train/method_spec.h"
#include "core/train/training_method.h"

namespace sn {

// One phase of Progressive Shrinking: the choices it enables and its steps [start, end).
struct ShrinkingPhase {
  std::string name;  // largest, kernel, depth-1.., expand-1..
  std::vector<int> kernels, depths, expands;
  int64_t start = 0, end = 0;
};

// Once-for-All's Progressive Shrinking: the largest network alone from the labels, then
// phases that make the kernel elastic, then depth (the largest depths first, one more choice
// per sub-phase), then expand (likewise). From the kernel phase on, each step forwards the
// largest without gradient as the teacher and trains `subnets_per_step` subnets sampled from
// the enabled choices from the labels plus distillation (OFA's CE + KD, kd_ratio 1). The
// cosine learning rate restarts at every (sub)phase, the elastic ones from
// elastic_lr_factor x lr without warmup, as OFA's separate phase runs do.
class ProgressiveShrinkingMethod : public TrainingMethod {
 public:
  ProgressiveShrinkingMethod(SearchSpace space, ProgressiveShrinkingSpec spec, int64_t stepsPerEpoch,
                             int64_t totalSteps);

  std::vector<PlannedPass> plan(const StepContext& context) override;
  double learningRate(double base, int64_t step, int64_t warmupSteps, int64_t totalSteps) const override;
  std::vector<std::pair<std::string, double>> metricValues(int64_t step) const override;
  SearchSpace enabledChoices(int64_t step) const override;

  const std::vector<ShrinkingPhase>& phases() const { return phases_; }
  // Index into phases() of the phase holding `step` (the last one past the end).
  size_t phaseAt(int64_t step) const;

 private:
  ProgressiveShrinkingSpec spec_;
  std::vector<ShrinkingPhase> phases_;
};

}  // namespace sn
