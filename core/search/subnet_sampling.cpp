#include "core/search/subnet_sampling.h"

#include <algorithm>
#include <random>

#include "core/space/cost_model.h"

namespace sn {

std::vector<Arch> spreadAcrossMacs(const SearchSpace& space, const NetShape& shape, int count,
                                   uint64_t seed) {
  if (count <= 0) return {};
  if (count == 1) return {Arch::largest(space)};
  std::mt19937_64 rng(seed);
  std::vector<std::pair<int64_t, Arch>> pool;
  for (int i = 0; i < 50 * count; ++i) {
    Arch a = Arch::sample(space, rng);
    pool.emplace_back(computeCost(space, a, shape).macs, std::move(a));
  }
  std::sort(pool.begin(), pool.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Arch> archs = {Arch::smallest(space)};
  for (int i = 1; i + 1 < count; ++i) {
    archs.push_back(pool[(pool.size() - 1) * i / (count - 1)].second);
  }
  archs.push_back(Arch::largest(space));
  return archs;
}

}  // namespace sn
