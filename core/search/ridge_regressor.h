#pragma once
#include <memory>

#include "core/search/ridge_regression.h"
#include "core/search/row_regressor.h"

namespace sn {

// Ridge regression whose penalty is chosen by 5-fold cross-validated squared error from
// 0.01 to 100: Once-for-All's linear predictor, as this project used it first.
class RidgeRegressor : public RowRegressor {
 public:
  static std::unique_ptr<RidgeRegressor> fit(const FeatureRows& rows,
                                             const std::vector<double>& targets);
  double predict(const std::vector<double>& row) const override { return model_.predict(row); }
  double lambda() const { return lambda_; }

 private:
  RidgeRegressor(RidgeRegression model, double lambda) : model_(std::move(model)), lambda_(lambda) {}

  RidgeRegression model_;
  double lambda_ = 0;
};

}  // namespace sn
