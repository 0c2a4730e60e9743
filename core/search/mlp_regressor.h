#pragma once
#include <cstdint>
#include <memory>

#include "core/search/row_regressor.h"

namespace sn {

// An MLP accuracy predictor as Once-for-All's (3 hidden ReLU layers on the arch encoding),
// narrower: 128 units, not 400, because the chooser fits it six times per choice and a fit
// of 400 took 2.3 s on 150 subnets here against 0.36 s (tests/bench, 2-core EPYC).
// Trained full-batch with Adam on standardised targets. Its own random generator (seeded),
// so fitting it never disturbs a training run's random stream in the same process.
class MlpRegressor : public RowRegressor {
 public:
  struct Options {
    int hidden = 128;
    int layers = 3;
    int steps = 400;
    double lr = 1e-3;
    double weightDecay = 1e-4;
    uint64_t seed = 1;
  };
  static std::unique_ptr<MlpRegressor> fit(const FeatureRows& rows,
                                           const std::vector<double>& targets,
                                           const Options& options);
  ~MlpRegressor() override;
  double predict(const std::vector<double>& row) const override;

 private:
  struct Weights;  // torch tensors, kept out of this header
  explicit MlpRegressor(std::unique_ptr<Weights> w);
  std::unique_ptr<Weights> w_;
};

}  // namespace sn
