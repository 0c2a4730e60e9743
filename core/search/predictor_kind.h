#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/search/row_regressor.h"

namespace sn {

// One candidate model for the accuracy predictor: its name, the features it sees and how
// it is fitted (deterministically: the same rows give the same model).
struct PredictorKind {
  std::string name;  // "ridge", "ridge+cost", "mlp", "gbt"
  bool costFeatures = false;
  std::function<std::unique_ptr<RowRegressor>(const FeatureRows&, const std::vector<double>&)> fit;
};

// The candidates every run is judged with: ridge on the one-hot encoding (what this
// project used first), the same with cost features, Once-for-All's MLP, and XGBoost's
// gradient-boosted trees on the one-hot encoding with cost features.
const std::vector<PredictorKind>& predictorKinds();
// One of them by name; std::out_of_range for another name.
const PredictorKind& predictorKind(const std::string& name);

}  // namespace sn
