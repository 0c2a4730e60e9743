#pragma once
#include <map>
#include <memory>
#include <string>

#include "core/search/accuracy_predictor.h"
#include "core/train/mac_bins.h"
#include "core/train/method_spec.h"
#include "core/train/training_method.h"

namespace sn {

// AttentiveNAS's sandwich: the largest and the smallest as always; each further subnet is the
// best (BestUp) or worst (WorstUp) of `candidates` drawn in one MAC band, the band drawn
// uniformly. "Best" by the accuracy predictor fitted on the epoch ends' probe evaluations
// (each distinct subnet's latest accuracy, refitted every epoch) once it has enough subnets,
// else by the minibatch's cross-entropy (lower is better).
class AttentiveMethod : public TrainingMethod {
 public:
  AttentiveMethod(SearchSpace space, NetShape shape, AttentiveSpec spec, int subnets, uint64_t seed);

  std::vector<PlannedPass> plan(const StepContext& context) override;
  void observe(const std::vector<Arch>& archs, const std::vector<double>& accuracy) override;
  std::vector<std::pair<std::string, double>> metricValues(int64_t step) const override;
  std::string state() const override;
  void restore(const std::string& state, const std::string& origin) override;

  // The last plan's candidates per picked subnet and their scores (higher is better).
  struct Draw {
    std::vector<Arch> candidates;
    std::vector<double> scores;
    size_t picked = 0;
  };
  const std::vector<Draw>& lastDraws() const { return lastDraws_; }
  bool usesPredictor() const { return predictor_ != nullptr; }

 private:
  std::vector<double> scoresOf(const std::vector<Arch>& candidates, const StepContext& context) const;
  void refit();

  NetShape shape_;
  AttentiveSpec spec_;
  int subnets_;
  MacBins bands_;
  std::map<std::string, double> observed_;  // arch text -> latest accuracy
  std::unique_ptr<AccuracyPredictor> predictor_;
  std::vector<Draw> lastDraws_;
};

}  // namespace sn
