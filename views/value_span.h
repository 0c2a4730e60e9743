#pragma once
#include <algorithm>

namespace sn {

// The smallest and largest of a stream of values, gathered on a worker for the constraint
// sliders' ranges; unknown until the first value.
struct ValueSpan {
  double min = 0;
  double max = 0;
  bool known = false;
  void add(double v) {
    min = known ? std::min(min, v) : v;
    max = known ? std::max(max, v) : v;
    known = true;
  }
};

}  // namespace sn
