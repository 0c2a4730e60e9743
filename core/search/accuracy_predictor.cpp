#include "core/search/accuracy_predictor.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

#include "core/search/rank_statistics.h"
#include "core/space/arch.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

using Rows = std::vector<std::vector<double>>;

double crossValidatedError(const Rows& rows, const std::vector<double>& y, double lambda) {
  constexpr int kFolds = 5;
  double squared = 0;
  for (int fold = 0; fold < kFolds; ++fold) {
    Rows fitRows;
    std::vector<double> fitY;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (static_cast<int>(i % kFolds) == fold) continue;
      fitRows.push_back(rows[i]);
      fitY.push_back(y[i]);
    }
    const RidgeRegression m = RidgeRegression::fit(fitRows, fitY, lambda);
    for (size_t i = fold; i < rows.size(); i += kFolds) {
      const double e = m.predict(rows[i]) - y[i];
      squared += e * e;
    }
  }
  return squared;
}

}  // namespace

AccuracyPredictor AccuracyPredictor::fit(const SearchSpace& space, const std::vector<Arch>& archs,
                                         const std::vector<double>& accuracy) {
  if (static_cast<int>(archs.size()) < kMinSamples) {
    throw InputError("the accuracy predictor needs at least " + std::to_string(kMinSamples) +
                     " evaluated subnets; this run has " + std::to_string(archs.size()) +
                     " (evaluate more: supernet-cli evaluate DIR --sample 100)");
  }
  ArchEncoding encoding(space);
  Rows rows;
  for (const Arch& a : archs) rows.push_back(encoding.encode(a));
  double bestLambda = 1.0;
  double bestError = std::numeric_limits<double>::infinity();
  for (double lambda : {0.01, 0.1, 1.0, 10.0, 100.0}) {
    const double error = crossValidatedError(rows, accuracy, lambda);
    if (error < bestError) {
      bestError = error;
      bestLambda = lambda;
    }
  }
  RidgeRegression model = RidgeRegression::fit(rows, accuracy, bestLambda);
  return AccuracyPredictor(std::move(encoding), std::move(model), bestLambda,
                           static_cast<int>(archs.size()));
}

PredictorReport AccuracyPredictor::holdOut(const SearchSpace& space, const std::vector<Arch>& archs,
                                           const std::vector<double>& accuracy,
                                           double heldOutFraction, uint64_t seed) {
  std::vector<size_t> order(archs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t heldOut = static_cast<size_t>(heldOutFraction * static_cast<double>(archs.size()));
  std::vector<Arch> fitArchs;
  std::vector<double> fitAccuracy;
  for (size_t i = heldOut; i < order.size(); ++i) {
    fitArchs.push_back(archs[order[i]]);
    fitAccuracy.push_back(accuracy[order[i]]);
  }
  const AccuracyPredictor predictor = fit(space, fitArchs, fitAccuracy);
  std::vector<double> predicted, measured;
  for (size_t i = 0; i < heldOut; ++i) {
    predicted.push_back(predictor.predict(archs[order[i]]));
    measured.push_back(accuracy[order[i]]);
  }
  PredictorReport report;
  report.fitted = static_cast<int>(fitArchs.size());
  report.heldOut = static_cast<int>(heldOut);
  report.lambda = predictor.lambda();
  if (heldOut > 0) {
    report.rmse = rootMeanSquaredError(predicted, measured);
    report.kendallTau = kendallTau(predicted, measured);
  }
  return report;
}

double AccuracyPredictor::predict(const Arch& arch) const {
  double y = model_.intercept();
  for (int i : encoding_.activeFeatures(arch)) y += model_.weights()[i];
  return y;
}

}  // namespace sn
