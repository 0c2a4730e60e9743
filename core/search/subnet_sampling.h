#pragma once
#include <cstdint>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"

namespace sn {

// `count` subnets spread evenly over the space's MAC range: the smallest, the largest, and
// between them the subnets at evenly spaced MAC quantiles of a large random sample. The
// same (space, shape, count, seed) always gives the same subnets, so a probe set stays fixed
// for a whole run.
std::vector<Arch> spreadAcrossMacs(const SearchSpace& space, const NetShape& shape, int count,
                                   uint64_t seed);

}  // namespace sn
