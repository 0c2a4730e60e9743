#include "core/search/predictor_chooser.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace sn {
namespace {

FeatureRows pick(const FeatureRows& rows, const std::vector<size_t>& index) {
  FeatureRows out;
  out.reserve(index.size());
  for (size_t i : index) out.push_back(rows[i]);
  return out;
}

std::vector<double> pick(const std::vector<double>& values, const std::vector<size_t>& index) {
  std::vector<double> out;
  out.reserve(index.size());
  for (size_t i : index) out.push_back(values[i]);
  return out;
}

// Out-of-fold prediction of every sample by one kind.
std::vector<double> outOfFold(const PredictorKind& kind, const PredictorData& data,
                              const std::vector<size_t>& order, int folds) {
  const FeatureRows& rows = data.rows(kind.costFeatures);
  std::vector<double> predicted(rows.size());
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<size_t> fit, held;
    for (size_t i = 0; i < order.size(); ++i) {
      (static_cast<int>(i % folds) == fold ? held : fit).push_back(order[i]);
    }
    if (held.empty()) continue;
    const auto model = kind.fit(pick(rows, fit), pick(data.accuracy, fit));
    for (size_t i : held) predicted[i] = model->predict(rows[i]);
  }
  return predicted;
}

}  // namespace

std::vector<ModelScore> crossValidateKinds(const std::vector<PredictorKind>& kinds,
                                           const PredictorData& data, int folds, uint64_t seed) {
  std::vector<size_t> order(data.accuracy.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<ModelScore> scores;
  for (const PredictorKind& kind : kinds) {
    const std::vector<double> predicted = outOfFold(kind, data, order, folds);
    ModelScore s;
    s.model = kind.name;
    s.cvTau = kendallTauInterval(predicted, data.accuracy, kTauBootstrapResamples, seed);
    s.cvRmse = rootMeanSquaredError(predicted, data.accuracy);
    scores.push_back(std::move(s));
  }
  return scores;
}

size_t bestByTau(const std::vector<ModelScore>& scores) {
  size_t best = 0;
  for (size_t i = 1; i < scores.size(); ++i) {
    if (scores[i].cvTau.tau > scores[best].cvTau.tau) best = i;
  }
  return best;
}

}  // namespace sn
