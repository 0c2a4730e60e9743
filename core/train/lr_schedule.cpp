#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace sn {

double cosineWarmupLr(double base, int64_t step, int64_t warmupSteps, int64_t totalSteps) {
  if (warmupSteps > 0 && step < warmupSteps) {
    return base * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
  }
  const double span = static_cast<double>(std::max<int64_t>(totalSteps - warmupSteps, 1));
  const double t = std::min(1.0, static_cast<double>(step - warmupSteps) / span);
  return 0.5 * base * (1.0 + std::cos(M_PI * t));
}

}  // namespace sn
