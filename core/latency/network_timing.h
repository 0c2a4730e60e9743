#pragma once
#include <cstdint>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "db/records.h"

namespace sn {

// What the forwards of one calibration subnet recorded: the median whole forward and, for
// each elastic block in network order, the median of that block's own time inside them.
struct NetworkTiming {
  Arch arch;
  double wholeMs = 0;
  std::vector<double> blockMs;
};

// Calibration subnets for timing blocks where they run: every stage at full depth, and in
// each round every elastic slot takes every (kernel, expand) choice exactly once, its
// neighbours' choices shuffled, so each table entry is timed after many different blocks.
std::vector<Arch> blockCoverPlan(const SearchSpace& space, int rounds, uint64_t seed);

// Fills `table`'s entries and fixed part from in-network timings: an entry is the median of
// its configuration's times over every slot and subnet it ran in; the fixed part (stem,
// first block, head, per-forward overhead) is the median of what a whole forward took
// beyond its own blocks. The block scale is 1: the entries were timed in context already.
void fitFromNetworkTimings(const std::vector<NetworkTiming>& timings, const SearchSpace& space,
                           const NetShape& shape, LatencyTableRecord& table);

}  // namespace sn
