#pragma once
#include <cstdint>

namespace sn {

// One subnet on the accuracy/cost plane.
struct PlotPoint {
  double x = 0;   // MACs (M) or latency (ms)
  double y = 0;   // accuracy (%)
  int group = 0;  // colour group: a source, an epoch or a run
  int64_t id = 0;
};

}  // namespace sn
