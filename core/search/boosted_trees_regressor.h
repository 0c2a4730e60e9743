#pragma once
#include <cstdint>
#include <memory>

#include "core/search/row_regressor.h"

namespace sn {

// Gradient-boosted regression trees from Debian's XGBoost (libxgboost, its C API): depth-3
// trees, learning rate 0.1, 200 rounds, one thread, fixed seed (deterministic).
class BoostedTreesRegressor : public RowRegressor {
 public:
  static std::unique_ptr<BoostedTreesRegressor> fit(const FeatureRows& rows,
                                                    const std::vector<double>& targets,
                                                    uint64_t seed);
  ~BoostedTreesRegressor() override;
  BoostedTreesRegressor(const BoostedTreesRegressor&) = delete;
  BoostedTreesRegressor& operator=(const BoostedTreesRegressor&) = delete;
  double predict(const std::vector<double>& row) const override;

 private:
  BoostedTreesRegressor(void* booster, size_t features) : booster_(booster), features_(features) {}
  void* booster_;  // BoosterHandle
  size_t features_;
};

}  // namespace sn
