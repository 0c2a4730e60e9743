#pragma once
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/search/pareto_front.h"

namespace sn {

// The Pareto front of points seen one at a time, holding only the front: the same points as
// paretoFront over all of them (exact duplicates of a front point included) without the
// others' memory. A comparison's first view reads a run's 200k rows through it; holding
// them first cost as much in fresh pages as the read itself.
class StreamingFront {
 public:
  void add(int64_t id, const FrontPoint& p);
  // The front by ascending cost, exact duplicates in the order they were added.
  std::vector<std::pair<int64_t, FrontPoint>> points() const;

 private:
  struct Entry {
    double accuracy = 0;
    std::vector<int64_t> ids;  // one point, or its exact duplicates
  };
  std::map<double, Entry> byCost_;  // accuracy rises strictly with cost
};

}  // namespace sn
