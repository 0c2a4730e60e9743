#include "core/train/uniform_method.h"

namespace sn {

UniformMethod::UniformMethod(SearchSpace space, UniformSpec spec)
    : TrainingMethod(std::move(space)), spec_(spec) {}

std::vector<PlannedPass> UniformMethod::plan(const StepContext& context) {
  std::vector<PlannedPass> passes;
  for (int i = 0; i < spec_.subnets; ++i) {
    passes.push_back({Arch::sample(space_, *context.rng), PassRole::Sampled, PassKind::Labels, 1.0});
  }
  return passes;
}

}  // namespace sn
