#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/search/predictor_kind.h"
#include "core/search/rank_statistics.h"

namespace sn {

// The rows each kind of predictor sees, and the measured accuracies.
struct PredictorData {
  FeatureRows plain;     // one-hot
  FeatureRows withCost;  // one-hot and cost features
  std::vector<double> accuracy;
  const FeatureRows& rows(bool cost) const { return cost ? withCost : plain; }
};

// How one kind of model ranks subnets it was not fitted on.
struct ModelScore {
  std::string model;
  TauInterval cvTau;  // out-of-fold predictions of every fitted subnet against its accuracy
  double cvRmse = 0;
  std::optional<TauInterval> heldOutTau;  // on a held-out share, when there is one
  double heldOutRmse = 0;
};

// Each kind's out-of-fold predictions over `folds` folds of a seeded shuffle, scored by
// Kendall tau (with a bootstrap interval) and RMSE.
std::vector<ModelScore> crossValidateKinds(const std::vector<PredictorKind>& kinds,
                                           const PredictorData& data, int folds, uint64_t seed);
// The kind with the highest cross-validated tau; on a tie the earlier (simpler) one.
size_t bestByTau(const std::vector<ModelScore>& scores);

}  // namespace sn
