#include "core/search/ridge_regressor.h"

#include <limits>

namespace sn {
namespace {

double crossValidatedSquaredError(const FeatureRows& rows, const std::vector<double>& y,
                                  double lambda) {
  constexpr int kFolds = 5;
  double squared = 0;
  for (int fold = 0; fold < kFolds; ++fold) {
    FeatureRows fitRows;
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

std::unique_ptr<RidgeRegressor> RidgeRegressor::fit(const FeatureRows& rows,
                                                    const std::vector<double>& targets) {
  double bestLambda = 1.0;
  double bestError = std::numeric_limits<double>::infinity();
  for (double lambda : {0.01, 0.1, 1.0, 10.0, 100.0}) {
    const double error = crossValidatedSquaredError(rows, targets, lambda);
    if (error < bestError) {
      bestError = error;
      bestLambda = lambda;
    }
  }
  return std::unique_ptr<RidgeRegressor>(
      new RidgeRegressor(RidgeRegression::fit(rows, targets, bestLambda), bestLambda));
}

}  // namespace sn
