#pragma once
#include <cstdint>

namespace sn {

// Linear warmup to `base` over `warmupSteps`, then cosine decay to zero at `totalSteps`.
double cosineWarmupLr(double base, int64_t step, int64_t warmupSteps, int64_t totalSteps);

}  // namespace sn
