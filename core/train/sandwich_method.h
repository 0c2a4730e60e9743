#pragma once
#include "core/train/training_method.h"

namespace sn {

// BigNAS / AttentiveNAS's sandwich rule: each step the largest subnet learns from the labels,
// the smallest and `randomSubnets` uniformly drawn subnets from the largest's soft predictions
// (in-place distillation).
class SandwichMethod : public TrainingMethod {
 public:
  SandwichMethod(SearchSpace space, int randomSubnets);
  std::vector<PlannedPass> plan(const StepContext& context) override;

  // The largest (labels), the smallest (distilled): the two ends every sandwich holds.
  static std::vector<PlannedPass> ends(const SearchSpace& space, double studentWeight = 1.0);

 private:
  int randomSubnets_;
};

}  // namespace sn
