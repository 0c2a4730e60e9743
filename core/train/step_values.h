#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/train/training_method.h"

namespace sn {

// The layout of StepReport::values, one number per entry, summed over a metric interval on
// the device. Each loss comes with a 0/1 "present" entry, so an interval's row is the sum of
// the losses over the sum of the presences: a method whose steps have no smallest subnet (or
// only some do) writes no loss/smallest, or the mean of the steps that had one. The choice
// shares are of the step's sampled subnets (PassRole::Sampled), present with them.
struct StepValues {
  enum Index : int64_t {
    kLossLargest,
    kLossSmallest,
    kLossSampled,  // mean over the step's sampled subnets
    kTrainAccuracyLargest,
    kHasLargest,
    kHasSmallest,
    kHasSampled,
    kPasses,  // sandwich-equivalent passes (TrainingMethod::passCost)
    kShares   // first share: kernels, then expands, then depths, each ascending
  };

  // The host part of a step's values, kHasLargest onwards.
  static std::vector<double> hostPart(const SearchSpace& space, const std::vector<PlannedPass>& passes, double passCost);
  // Metric names of the shares: sampling/share/kernel/3, .../expand/4, .../depth/2.
  static std::vector<std::string> shareNames(const SearchSpace& space);
  static int64_t size(const SearchSpace& space);
  // Sums in the layout of a checkpoint written before methods ([loss largest, smallest,
  // random, train acc] over `steps`) in today's: presences from the recipe's sandwich, shares
  // unknown (0, so that interval's share rows are low).
  static std::vector<double> fromSandwichSums(const std::vector<double>& sums, int64_t steps,
                                              const SearchSpace& space, int randomSubnets);
};

}  // namespace sn
