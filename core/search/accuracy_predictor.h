#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/search/predictor_chooser.h"
#include "core/search/predictor_features.h"
#include "core/search/row_regressor.h"

namespace sn {

struct Arch;

// How well a predictor ranks subnets it was not fitted on.
struct PredictorReport {
  int fitted = 0;
  int heldOut = 0;
  std::string model;      // the kind chosen on the fitted subnets
  TauInterval cvTau;      // its cross-validated tau there
  double rmse = 0;        // held out, in the accuracy's own unit
  double kendallTau = 0;  // held out: between predicted and measured accuracy
  TauInterval heldOutTau; // the same with its bootstrap interval
  std::vector<ModelScore> models;  // every kind: cross-validated, and on the held-out share
};

// Accuracy from architecture alone, as Once-for-All's predictor, fitted on a run's
// evaluated subnets. Which model (predictorKinds: ridge, ridge with cost features, MLP,
// boosted trees) is chosen per run by 5-fold cross-validated Kendall tau: the ranking is
// what a search uses, and which model ranks best depends on the space and the run.
class AccuracyPredictor {
 public:
  // Throws InputError with fewer than kMinSamples subnets.
  static AccuracyPredictor fit(const SearchSpace& space, const NetShape& shape,
                               const std::vector<Arch>& archs, const std::vector<double>& accuracy);
  // Chooses and fits on all but a random `heldOutFraction` of the subnets, and measures
  // every kind on those.
  static PredictorReport holdOut(const SearchSpace& space, const NetShape& shape,
                                 const std::vector<Arch>& archs,
                                 const std::vector<double>& accuracy, double heldOutFraction,
                                 uint64_t seed);

  double predict(const Arch& arch) const;
  const ModelScore& chosen() const { return scores_[chosen_]; }
  const std::vector<ModelScore>& scores() const { return scores_; }
  int sampleCount() const { return samples_; }

  static constexpr int kMinSamples = 10;
  static constexpr int kFolds = 5;

 private:
  AccuracyPredictor(PredictorFeatures features, std::shared_ptr<const RowRegressor> model,
                    std::vector<ModelScore> scores, size_t chosen, int samples)
      : features_(std::move(features)),
        model_(std::move(model)),
        scores_(std::move(scores)),
        chosen_(chosen),
        samples_(samples) {}

  PredictorFeatures features_;
  std::shared_ptr<const RowRegressor> model_;
  std::vector<ModelScore> scores_;
  size_t chosen_ = 0;
  int samples_ = 0;
};

// The seeded order holdOut splits by: the first heldOutFraction x n positions are held out.
std::vector<size_t> holdOutOrder(size_t n, uint64_t seed);

// One line for the CLI and the Subnets tab: the chosen model, its cross-validated tau with
// its 95% interval, and the held-out figures.
std::string describePredictor(const PredictorReport& report);
// The comparison of every kind, one line each, with a heading.
std::vector<std::string> predictorTable(const std::vector<ModelScore>& models);

}  // namespace sn
