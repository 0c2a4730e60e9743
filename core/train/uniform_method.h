#pragma once
#include "core/train/method_spec.h"
#include "core/train/training_method.h"

namespace sn {

// SPOS / single-path uniform sampling, the baseline: `subnets` subnets drawn uniformly from
// the space each step, each learning from the labels; no largest, no distillation.
class UniformMethod : public TrainingMethod {
 public:
  UniformMethod(SearchSpace space, UniformSpec spec);
  std::vector<PlannedPass> plan(const StepContext& context) override;

 private:
  UniformSpec spec_;
};

}  // namespace sn
