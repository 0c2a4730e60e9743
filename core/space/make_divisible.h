#pragma once
#include <cmath>

namespace sn {

// Once-for-All's make_divisible: round v to the nearest multiple of divisor (at least
// divisor), never going down by more than 10%. Channel counts of every space use it.
inline int makeDivisible(double v, int divisor = 8) {
  int result = static_cast<int>(v + divisor / 2.0) / divisor * divisor;
  if (result < divisor) result = divisor;
  if (result < 0.9 * v) result += divisor;
  return result;
}

// Middle width of an MBConv block: make_divisible(round(in x expand), 8).
inline int mbconvMiddle(int inChannels, int expand) {
  return makeDivisible(std::round(static_cast<double>(inChannels) * expand), 8);
}

// Squeeze-excite hidden width: make_divisible(middle // 4, 8).
inline int seHidden(int middle) { return makeDivisible(middle / 4, 8); }

}  // namespace sn
