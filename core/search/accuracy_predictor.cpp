#include "core/search/accuracy_predictor.h"

#include <cstdio>
#include <numeric>
#include <random>

#include "core/space/arch.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

constexpr uint64_t kSeed = 1;

PredictorData predictorData(const SearchSpace& space, const NetShape& shape,
                            const std::vector<Arch>& archs, const std::vector<double>& accuracy) {
  return {PredictorFeatures(space, shape, false).encodeAll(archs),
          PredictorFeatures(space, shape, true).encodeAll(archs), accuracy};
}

void requireSamples(size_t n) {
  if (static_cast<int>(n) < AccuracyPredictor::kMinSamples) {
    throw InputError("the accuracy predictor needs at least " +
                     std::to_string(AccuracyPredictor::kMinSamples) +
                     " evaluated subnets; this run has " + std::to_string(n) +
                     " (evaluate more: supernet-cli evaluate DIR --sample 100)");
  }
}

}  // namespace

AccuracyPredictor AccuracyPredictor::fit(const SearchSpace& space, const NetShape& shape,
                                         const std::vector<Arch>& archs,
                                         const std::vector<double>& accuracy) {
  requireSamples(archs.size());
  const PredictorData data = predictorData(space, shape, archs, accuracy);
  const std::vector<PredictorKind>& kinds = predictorKinds();
  std::vector<ModelScore> scores = crossValidateKinds(kinds, data, kFolds, kSeed);
  const size_t best = bestByTau(scores);
  const PredictorKind& kind = kinds[best];
  std::shared_ptr<const RowRegressor> model = kind.fit(data.rows(kind.costFeatures), accuracy);
  return AccuracyPredictor(PredictorFeatures(space, shape, kind.costFeatures), std::move(model),
                           std::move(scores), best, static_cast<int>(archs.size()));
}

PredictorReport AccuracyPredictor::holdOut(const SearchSpace& space, const NetShape& shape,
                                           const std::vector<Arch>& archs,
                                           const std::vector<double>& accuracy,
                                           double heldOutFraction, uint64_t seed) {
  const std::vector<size_t> order = holdOutOrder(archs.size(), seed);
  const size_t heldOut = static_cast<size_t>(heldOutFraction * static_cast<double>(archs.size()));
  std::vector<Arch> fitArchs, heldArchs;
  std::vector<double> fitAccuracy, heldAccuracy;
  for (size_t i = 0; i < order.size(); ++i) {
    (i < heldOut ? heldArchs : fitArchs).push_back(archs[order[i]]);
    (i < heldOut ? heldAccuracy : fitAccuracy).push_back(accuracy[order[i]]);
  }
  requireSamples(fitArchs.size());
  const PredictorData fitData = predictorData(space, shape, fitArchs, fitAccuracy);
  const PredictorData heldData = predictorData(space, shape, heldArchs, heldAccuracy);
  const std::vector<PredictorKind>& kinds = predictorKinds();
  PredictorReport report;
  report.fitted = static_cast<int>(fitArchs.size());
  report.heldOut = static_cast<int>(heldOut);
  report.models = crossValidateKinds(kinds, fitData, kFolds, kSeed);
  // Every kind on the held-out share, so the chosen one can be compared with the rest.
  for (size_t k = 0; k < kinds.size() && heldOut > 1; ++k) {
    const auto model = kinds[k].fit(fitData.rows(kinds[k].costFeatures), fitAccuracy);
    std::vector<double> predicted;
    for (const auto& row : heldData.rows(kinds[k].costFeatures)) predicted.push_back(model->predict(row));
    report.models[k].heldOutTau = kendallTauInterval(predicted, heldAccuracy, kTauBootstrapResamples, seed);
    report.models[k].heldOutRmse = rootMeanSquaredError(predicted, heldAccuracy);
  }
  const ModelScore& best = report.models[bestByTau(report.models)];
  report.model = best.model;
  report.cvTau = best.cvTau;
  if (best.heldOutTau) {
    report.heldOutTau = *best.heldOutTau;
    report.kendallTau = best.heldOutTau->tau;
    report.rmse = best.heldOutRmse;
  }
  return report;
}

std::vector<size_t> holdOutOrder(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

double AccuracyPredictor::predict(const Arch& arch) const {
  return model_->predict(features_.encode(arch));
}

std::string describePredictor(const PredictorReport& r) {
  char text[320];
  std::snprintf(text, sizeof text,
                "predictor: %s, chosen by %d-fold CV (Kendall tau %.3f, 95%% CI %.3f to %.3f, "
                "%d subnets); held out %d: tau %.3f (%.3f to %.3f), RMSE %.3f%%",
                r.model.c_str(), AccuracyPredictor::kFolds, r.cvTau.tau, r.cvTau.low, r.cvTau.high,
                r.fitted, r.heldOut, r.heldOutTau.tau, r.heldOutTau.low, r.heldOutTau.high,
                100 * r.rmse);
  return text;
}

std::vector<std::string> predictorTable(const std::vector<ModelScore>& models) {
  std::vector<std::string> lines = {
      "model        CV tau [95% CI]         CV RMSE   held-out tau [95% CI]   held-out RMSE"};
  for (const ModelScore& m : models) {
    char line[200];
    int n = std::snprintf(line, sizeof line, "%-11s  %.3f [%.3f, %.3f]   %6.3f%%", m.model.c_str(),
                          m.cvTau.tau, m.cvTau.low, m.cvTau.high, 100 * m.cvRmse);
    if (m.heldOutTau) {
      std::snprintf(line + n, sizeof line - n, "   %.3f [%.3f, %.3f]   %6.3f%%", m.heldOutTau->tau,
                    m.heldOutTau->low, m.heldOutTau->high, 100 * m.heldOutRmse);
    }
    lines.emplace_back(line);
  }
  return lines;
}

}  // namespace sn
