#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/space/block_layout.h"
#include "core/space/search_space.h"
#include "db/records.h"

namespace sn {

struct Arch;

// One elastic block slot of a space as a latency table sees it: its layout and the side of
// the feature map entering it.
struct BlockSlot {
  int stage = 0;
  int block = 0;
  MBConvSpec spec;
  int inputSize = 0;
};

// Every elastic block slot of `space` at `shape`, in network order.
std::vector<BlockSlot> elasticBlockSlots(const SearchSpace& space, const NetShape& shape);
// The key a latency table stores a block configuration under, e.g.
// "in=16 out=24 stride=2 k=5 e=4 size=14 act=relu se=0". Equal keys run the same layers.
std::string blockKey(const MBConvSpec& spec, int kernel, int expand, int inputSize);
// What identifies the space a table was built for (its JSON, hashed).
std::string spaceHash(const SearchSpace& space);
std::string inputShapeText(const NetShape& shape);

// A latency table compiled for one space: predicts a subnet's latency as the fixed part plus
// the (scaled) sum of its blocks' times, by array lookups (searches call it for every
// candidate).
class LatencyModel {
 public:
  // InputError when the table lacks a block configuration of the space (built for another).
  LatencyModel(const LatencyTableRecord& table, const SearchSpace& space, const NetShape& shape);

  double predictMs(const Arch& arch) const;
  // The unscaled sum of the arch's block entries.
  double blockSumMs(const Arch& arch) const;
  double fixedMs() const { return fixedMs_; }

 private:
  int index(int stage, int block, int kernelIndex, int expandIndex) const;

  SearchSpace space_;
  double fixedMs_ = 0;
  double blockScale_ = 1;
  std::vector<double> ms_;  // [stage][block][kernel][expand], flattened
};

// Share of checks whose prediction is within `tolerance` (0.1 = 10%) of the measurement,
// and the mean absolute relative error.
struct LatencyAccuracy {
  double withinTolerance = 0;
  double meanRelativeError = 0;
  double worstRelativeError = 0;
};
LatencyAccuracy latencyAccuracy(const std::vector<LatencyCheck>& checks, double tolerance);

// The machine's own spread, which no table can beat: |first - second| / second over the
// checks measured twice, its median and 90th percentile (nearest rank).
struct LatencyNoise {
  int pairs = 0;
  double median = 0;
  double p90 = 0;
};
LatencyNoise latencyNoise(const std::vector<LatencyCheck>& checks);
// One line for the CLI and the Latency tab, e.g. "noise floor: the same 50 subnets measured
// twice differ by 1.2% (median), 3.4% (90th percentile)".
std::string latencyNoiseText(const LatencyNoise& noise);

// The model's predictions beside two measurements of each arch.
std::vector<LatencyCheck> latencyChecks(const LatencyModel& model, const std::vector<Arch>& archs,
                                        const std::vector<double>& first,
                                        const std::vector<double>& second);
// The model's prediction for each arch against `measureMs` of all of them (in ms, in
// order), called twice: the second pass, a moment later, gives the noise floor. Cancelled
// is thrown when `stop` is set.
std::vector<LatencyCheck> checkLatencyModel(
    const LatencyModel& model, const std::vector<Arch>& archs,
    const std::function<std::vector<double>(const std::vector<Arch>&)>& measureMs,
    const std::atomic<bool>* stop);

}  // namespace sn
