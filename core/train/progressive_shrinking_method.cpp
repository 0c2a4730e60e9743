#include "core/train/progressive_shrinking_method.h"

#include <algorithm>

#include "core/train/lr_schedule.h"

namespace sn {
namespace {

// The last `n` (largest) of ascending choices.
std::vector<int> largestOf(const std::vector<int>& choices, size_t n) {
  return std::vector<int>(choices.end() - static_cast<std::ptrdiff_t>(std::min(n, choices.size())), choices.end());
}

// Steps of the four phases: the spec's epochs, or the run split evenly. The expand phase
// takes what the run has beyond the sum; a shorter run ends inside a phase.
std::vector<int64_t> phaseSteps(const ProgressiveShrinkingSpec& s, int64_t stepsPerEpoch, int64_t totalSteps) {
  std::vector<int64_t> steps;
  if (s.largestEpochs < 0) {
    for (int k = 0; k < 4; ++k) steps.push_back(totalSteps * (k + 1) / 4 - totalSteps * k / 4);
    return steps;
  }
  for (int e : {s.largestEpochs, s.kernelEpochs, s.depthEpochs, s.expandEpochs}) steps.push_back(e * stepsPerEpoch);
  int64_t sum = 0;
  for (int64_t n : steps) sum += n;
  if (sum < totalSteps) steps[3] += totalSteps - sum;
  return steps;
}

}  // namespace

ProgressiveShrinkingMethod::ProgressiveShrinkingMethod(SearchSpace space, ProgressiveShrinkingSpec spec,
                                                       int64_t stepsPerEpoch, int64_t totalSteps)
    : TrainingMethod(std::move(space)), spec_(spec) {
  const SearchSpace& sp = space_;
  const std::vector<int64_t> steps = phaseSteps(spec_, stepsPerEpoch, totalSteps);
  int64_t at = 0;
  const auto add = [&](ShrinkingPhase p, int64_t length) {
    if (length <= 0) return;
    p.start = at;
    p.end = at + length;
    at = p.end;
    phases_.push_back(std::move(p));
  };
  const std::vector<int> maxK = {sp.maxKernel()}, maxD = {sp.maxDepth()}, maxE = {sp.maxExpand()};
  add({"largest", maxK, maxD, maxE}, steps[0]);
  add({"kernel", sp.kernels, maxD, maxE}, steps[1]);
  // One more depth (expand) choice per sub-phase, the largest first; the phase's steps split
  // evenly over its sub-phases.
  const auto subPhases = [&](const std::string& name, size_t choices, int64_t length, auto make) {
    const int64_t n = static_cast<int64_t>(std::max<size_t>(1, choices - 1));
    for (int64_t j = 0; j < n; ++j) {
      add(make(name + "-" + std::to_string(j + 1), static_cast<size_t>(j + 2)),
          length * (j + 1) / n - length * j / n);
    }
  };
  subPhases("depth", sp.depths.size(), steps[2], [&](const std::string& name, size_t n) {
    return ShrinkingPhase{name, sp.kernels, largestOf(sp.depths, n), maxE};
  });
  subPhases("expand", sp.expands.size(), steps[3], [&](const std::string& name, size_t n) {
    return ShrinkingPhase{name, sp.kernels, sp.depths, largestOf(sp.expands, n)};
  });
}

size_t ProgressiveShrinkingMethod::phaseAt(int64_t step) const {
  for (size_t i = 0; i < phases_.size(); ++i) {
    if (step < phases_[i].end) return i;
  }
  return phases_.empty() ? 0 : phases_.size() - 1;
}

SearchSpace ProgressiveShrinkingMethod::enabledChoices(int64_t step) const {
  SearchSpace enabled = space_;
  if (phases_.empty()) return enabled;
  const ShrinkingPhase& p = phases_[phaseAt(step)];
  enabled.kernels = p.kernels;
  enabled.depths = p.depths;
  enabled.expands = p.expands;
  return enabled;
}

std::vector<PlannedPass> ProgressiveShrinkingMethod::plan(const StepContext& context) {
  const Arch largest = Arch::largest(space_);
  if (phases_.empty() || phaseAt(context.step) == 0) return {{largest, PassRole::Largest, PassKind::Labels, 1.0}};
  std::vector<PlannedPass> passes = {{largest, PassRole::Largest, PassKind::Teacher, 1.0}};
  const SearchSpace enabled = enabledChoices(context.step);
  for (int i = 0; i < spec_.subnetsPerStep; ++i) {
    passes.push_back({Arch::sample(enabled, *context.rng), PassRole::Sampled, PassKind::LabelsAndDistill, 1.0});
  }
  return passes;
}

double ProgressiveShrinkingMethod::learningRate(double base, int64_t step, int64_t warmupSteps, int64_t) const {
  if (phases_.empty()) return base;
  const size_t i = phaseAt(step);
  const ShrinkingPhase& p = phases_[i];
  if (i == 0) return cosineWarmupLr(base, step - p.start, warmupSteps, p.end - p.start);
  return cosineWarmupLr(base * spec_.elasticLrFactor, step - p.start, 0, p.end - p.start);
}

std::vector<std::pair<std::string, double>> ProgressiveShrinkingMethod::metricValues(int64_t step) const {
  std::vector<std::pair<std::string, double>> values = {{"sampling/phase", static_cast<double>(phaseAt(step))}};
  const SearchSpace enabled = enabledChoices(step);
  const auto flags = [&](const std::string& what, const std::vector<int>& all, const std::vector<int>& on) {
    for (int c : all) {
      const bool isOn = std::find(on.begin(), on.end(), c) != on.end();
      values.emplace_back("sampling/enabled/" + what + "/" + std::to_string(c), isOn ? 1.0 : 0.0);
    }
  };
  flags("kernel", space_.kernels, enabled.kernels);
  flags("depth", space_.depths, enabled.depths);
  flags("expand", space_.expands, enabled.expands);
  return values;
}

}  // namespace sn
