#include "core/search/predictor_kind.h"

#include <stdexcept>

#include "core/search/boosted_trees_regressor.h"
#include "core/search/mlp_regressor.h"
#include "core/search/ridge_regressor.h"

namespace sn {

const std::vector<PredictorKind>& predictorKinds() {
  static const std::vector<PredictorKind> kinds = {
      {"ridge", false, [](const FeatureRows& x, const std::vector<double>& y) {
         return std::unique_ptr<RowRegressor>(RidgeRegressor::fit(x, y));
       }},
      {"ridge+cost", true, [](const FeatureRows& x, const std::vector<double>& y) {
         return std::unique_ptr<RowRegressor>(RidgeRegressor::fit(x, y));
       }},
      {"mlp", false, [](const FeatureRows& x, const std::vector<double>& y) {
         return std::unique_ptr<RowRegressor>(MlpRegressor::fit(x, y, MlpRegressor::Options{}));
       }},
      {"gbt", true, [](const FeatureRows& x, const std::vector<double>& y) {
         return std::unique_ptr<RowRegressor>(BoostedTreesRegressor::fit(x, y, 1));
       }},
  };
  return kinds;
}

const PredictorKind& predictorKind(const std::string& name) {
  for (const PredictorKind& k : predictorKinds()) {
    if (k.name == name) return k;
  }
  throw std::out_of_range("no accuracy predictor kind '" + name + "'");
}

}  // namespace sn
