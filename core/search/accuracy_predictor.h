#pragma once
#include <cstdint>
#include <vector>

#include "core/search/arch_encoding.h"
#include "core/search/ridge_regression.h"

namespace sn {

struct Arch;

// How well a predictor ranks subnets it was not fitted on.
struct PredictorReport {
  int fitted = 0;
  int heldOut = 0;
  double rmse = 0;        // in the accuracy's own unit
  double kendallTau = 0;  // between predicted and measured accuracy of the held-out subnets
  double lambda = 0;
};

// Accuracy from architecture alone, as Once-for-All's predictor: a ridge regression over
// the one-hot arch encoding, fitted on a run's evaluated subnets. The penalty is chosen by
// 5-fold cross-validation. Predicting is a sum of a few dozen weights, so a search can ask
// for hundreds of thousands of predictions a second.
class AccuracyPredictor {
 public:
  // Throws InputError with fewer than kMinSamples subnets.
  static AccuracyPredictor fit(const SearchSpace& space, const std::vector<Arch>& archs,
                               const std::vector<double>& accuracy);
  // Fits on all but a random `heldOutFraction` of the subnets and measures on those.
  static PredictorReport holdOut(const SearchSpace& space, const std::vector<Arch>& archs,
                                 const std::vector<double>& accuracy, double heldOutFraction,
                                 uint64_t seed);

  double predict(const Arch& arch) const;
  double lambda() const { return lambda_; }
  int sampleCount() const { return samples_; }

  static constexpr int kMinSamples = 10;

 private:
  AccuracyPredictor(ArchEncoding encoding, RidgeRegression model, double lambda, int samples)
      : encoding_(std::move(encoding)), model_(std::move(model)), lambda_(lambda), samples_(samples) {}

  ArchEncoding encoding_;
  RidgeRegression model_;
  double lambda_ = 0;
  int samples_ = 0;
};

}  // namespace sn
