#include "core/train/step_values.h"

#include <algorithm>

namespace sn {
namespace {

size_t indexOf(const std::vector<int>& choices, int value) {
  return static_cast<size_t>(std::find(choices.begin(), choices.end(), value) - choices.begin());
}

}  // namespace

std::vector<double> StepValues::hostPart(const SearchSpace& space, const std::vector<PlannedPass>& passes,
                                         double passCost) {
  bool largest = false, smallest = false;
  const size_t k = space.kernels.size(), e = space.expands.size(), d = space.depths.size();
  std::vector<double> kernels(k), expands(e), depths(d);
  double blocks = 0, stages = 0;
  for (const PlannedPass& p : passes) {
    largest |= p.role == PassRole::Largest;
    smallest |= p.role == PassRole::Smallest;
    if (p.role != PassRole::Sampled) continue;
    for (const StageArch& s : p.arch.stages) {
      depths[std::min(indexOf(space.depths, s.depth()), d - 1)] += 1;
      stages += 1;
      for (int b = 0; b < s.depth(); ++b) {
        kernels[std::min(indexOf(space.kernels, s.kernels[static_cast<size_t>(b)]), k - 1)] += 1;
        expands[std::min(indexOf(space.expands, s.expands[static_cast<size_t>(b)]), e - 1)] += 1;
        blocks += 1;
      }
    }
  }
  const bool sampled = stages > 0;
  std::vector<double> out = {largest ? 1.0 : 0.0, smallest ? 1.0 : 0.0, sampled ? 1.0 : 0.0, passCost};
  for (double c : kernels) out.push_back(blocks > 0 ? c / blocks : 0.0);
  for (double c : expands) out.push_back(blocks > 0 ? c / blocks : 0.0);
  for (double c : depths) out.push_back(sampled ? c / stages : 0.0);
  return out;
}

std::vector<std::string> StepValues::shareNames(const SearchSpace& space) {
  std::vector<std::string> names;
  for (int c : space.kernels) names.push_back("sampling/share/kernel/" + std::to_string(c));
  for (int c : space.expands) names.push_back("sampling/share/expand/" + std::to_string(c));
  for (int c : space.depths) names.push_back("sampling/share/depth/" + std::to_string(c));
  return names;
}

int64_t StepValues::size(const SearchSpace& space) {
  return kShares + static_cast<int64_t>(space.kernels.size() + space.expands.size() + space.depths.size());
}

std::vector<double> StepValues::fromSandwichSums(const std::vector<double>& sums, int64_t steps,
                                                 const SearchSpace& space, int randomSubnets) {
  std::vector<double> out(static_cast<size_t>(size(space)), 0.0);
  for (size_t i = 0; i < 4 && i < sums.size(); ++i) out[i] = sums[i];
  const auto n = static_cast<double>(steps);
  out[kHasLargest] = n;
  out[kHasSmallest] = n;
  out[kHasSampled] = randomSubnets > 0 ? n : 0.0;
  out[kPasses] = n * (2 + randomSubnets);
  return out;
}

}  // namespace sn
