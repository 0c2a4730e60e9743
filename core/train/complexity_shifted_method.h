#pragma once
#include <ATen/core/Tensor.h>
#include <optional>

#include "core/train/mac_bins.h"
#include "core/train/method_spec.h"
#include "core/train/training_method.h"

namespace sn {

// Complexity-shifted sampling (ShiftNAS-style): the sandwich's random subnets are drawn by
// MAC bin, each bin's probability following its recent training loss, so that regions of the
// space that train worse get more steps. Every `update_every` steps the bins' mean losses
// since the last update join a decaying average, and the probabilities become
//   p_b = floor / B + (1 - floor) softmax(avg_b / temperature)
// (a bin with no loss yet counts as the highest-loss bin). Losses are summed on the device
// and read once per update, so a step never waits for the host.
class ComplexityShiftedMethod : public TrainingMethod {
 public:
  ComplexityShiftedMethod(SearchSpace space, NetShape shape, ComplexityShiftedSpec spec, int randomSubnets,
                          uint64_t seed);

  std::vector<PlannedPass> plan(const StepContext& context) override;
  void afterStep(int64_t step, const std::vector<PlannedPass>& passes, const std::vector<at::Tensor>& losses) override;
  std::vector<std::pair<std::string, double>> metricValues(int64_t step) const override;
  std::string state() const override;
  void restore(const std::string& state, const std::string& origin) override;

  const std::vector<double>& probabilities() const { return probabilities_; }
  const MacBins& bins() const { return bins_; }

 private:
  void update();

  ComplexityShiftedSpec spec_;
  int randomSubnets_;
  MacBins bins_;
  std::vector<double> probabilities_;
  std::vector<std::optional<double>> average_;  // per bin, none before its first loss
  std::vector<int> lastBins_;                   // of the last plan's random subnets
  at::Tensor pendingSums_;                      // per bin, since the last update
  std::vector<double> restoredSums_;            // until the first step puts them on the device
  std::vector<int64_t> pendingCounts_;
};

}  // namespace sn
