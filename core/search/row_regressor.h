#pragma once
#include <memory>
#include <vector>

namespace sn {

using FeatureRows = std::vector<std::vector<double>>;

// A model fitted on feature rows that predicts a target for a new row: what the accuracy
// predictor's candidates (ridge, MLP, boosted trees) have in common.
class RowRegressor {
 public:
  virtual ~RowRegressor() = default;
  virtual double predict(const std::vector<double>& row) const = 0;
};

}  // namespace sn
