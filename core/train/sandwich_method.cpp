#include "core/train/sandwich_method.h"

namespace sn {

SandwichMethod::SandwichMethod(SearchSpace space, int randomSubnets)
    : TrainingMethod(std::move(space)), randomSubnets_(randomSubnets) {}

std::vector<PlannedPass> SandwichMethod::ends(const SearchSpace& space, double studentWeight) {
  return {{Arch::largest(space), PassRole::Largest, PassKind::Labels, 1.0},
          {Arch::smallest(space), PassRole::Smallest, PassKind::Distill, studentWeight}};
}

std::vector<PlannedPass> SandwichMethod::plan(const StepContext& context) {
  std::vector<PlannedPass> passes = ends(space_);
  for (int i = 0; i < randomSubnets_; ++i) {
    passes.push_back({Arch::sample(space_, *context.rng), PassRole::Sampled, PassKind::Distill, 1.0});
  }
  return passes;
}

}  // namespace sn
