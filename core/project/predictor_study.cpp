#include "core/project/predictor_study.h"

#include <algorithm>

#include "core/data/dataset_spec.h"
#include "core/project/project.h"
#include "core/project/run_context.h"
#include "core/project/subnet_evaluation.h"
#include "core/project/subnet_search.h"
#include "core/search/predictor_features.h"
#include "core/search/predictor_kind.h"
#include "core/search/rank_statistics.h"
#include "core/space/arch.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

// The chosen kind fitted on the first n fitted subnets, n doubling, each scored on the same
// held-out subnets.
std::vector<CurvePoint> learningCurve(const PredictorKind& kind, const PredictorFeatures& features,
                                      const std::vector<Arch>& fitArchs,
                                      const std::vector<double>& fitAccuracy,
                                      const std::vector<Arch>& heldArchs,
                                      const std::vector<double>& heldAccuracy) {
  std::vector<CurvePoint> curve;
  const FeatureRows fitRows = features.encodeAll(fitArchs);
  const FeatureRows heldRows = features.encodeAll(heldArchs);
  std::vector<int> sizes;
  for (int n = AccuracyPredictor::kMinSamples; n < static_cast<int>(fitRows.size()); n *= 2) sizes.push_back(n);
  sizes.push_back(static_cast<int>(fitRows.size()));
  for (int n : sizes) {
    const FeatureRows rows(fitRows.begin(), fitRows.begin() + n);
    const std::vector<double> y(fitAccuracy.begin(), fitAccuracy.begin() + n);
    const auto model = kind.fit(rows, y);
    std::vector<double> predicted;
    for (const auto& row : heldRows) predicted.push_back(model->predict(row));
    curve.push_back({n, kendallTau(predicted, heldAccuracy)});
  }
  return curve;
}

int plateau(const std::vector<CurvePoint>& curve) {
  if (curve.empty()) return 0;
  const double best = curve.back().tau;
  for (const CurvePoint& p : curve) {
    if (p.tau >= best - 0.02) return p.subnets;
  }
  return curve.back().subnets;
}

std::optional<PredictorStudy::Ceiling> measureCeiling(Project& project, const RunContext& ctx,
                                                     const PredictorStudyRequest& request,
                                                     const std::vector<Arch>& archs,
                                                     const std::vector<double>& accuracy,
                                                     std::optional<int64_t> testOffset) {
  SubnetEvaluationRequest again;
  const size_t n = std::min(archs.size(), static_cast<size_t>(request.ceiling));
  again.archs.assign(archs.begin(), archs.begin() + n);
  again.runId = ctx.run->id;
  again.device = request.device;
  again.threads = request.threads;
  again.measureLatency = false;
  again.recalSeed = request.recalSeed;
  again.testOffset = testOffset;
  again.store = false;
  again.job = request.job;
  const SubnetEvaluationResult result = evaluateSubnets(project, again);
  if (result.cancelled || result.subnets.size() < 3) return std::nullopt;
  std::vector<double> first(accuracy.begin(), accuracy.begin() + result.subnets.size()), second;
  for (const SubnetRecord& s : result.subnets) second.push_back(*s.accuracy);
  PredictorStudy::Ceiling c;
  c.differs = testOffset ? "recalibration batches and test images" : "recalibration batches";
  c.subnets = static_cast<int>(second.size());
  c.tau = kendallTauInterval(first, second, kTauBootstrapResamples, 1);
  c.rmse = rootMeanSquaredError(first, second);
  return c;
}

}  // namespace

PredictorStudy studyPredictor(Project& project, const PredictorStudyRequest& request) {
  const RunContext ctx = resolveRun(project, request.runId);
  if (!ctx.run) throw InputError(project.dir() + ": no run yet; train one, then evaluate subnets");
  const NetShape shape = datasetShape(ctx.config.dataset);
  std::vector<Arch> archs;
  std::vector<double> accuracy;
  measuredAccuracies(project.store().subnets().forRun(ctx.run->id), ctx.config.space, archs,
                     accuracy);
  PredictorStudy study;
  study.measured = static_cast<int>(archs.size());
  if (static_cast<int>(archs.size()) < 2 * AccuracyPredictor::kMinSamples) {
    throw InputError("run " + std::to_string(ctx.run->id) + " has " +
                     std::to_string(archs.size()) + " measured subnets of its newest epoch; " +
                     "a study needs at least " + std::to_string(2 * AccuracyPredictor::kMinSamples) +
                     " (supernet-cli evaluate DIR --sample 100)");
  }
  study.report = AccuracyPredictor::holdOut(ctx.config.space, shape, archs, accuracy,
                                            request.holdout, 1);
  study.onAll = AccuracyPredictor::fit(ctx.config.space, shape, archs, accuracy).chosen();
  if (request.curve) {
    const std::vector<size_t> order = holdOutOrder(archs.size(), 1);
    std::vector<Arch> fitArchs, heldArchs;
    std::vector<double> fitAccuracy, heldAccuracy;
    for (size_t i = 0; i < order.size(); ++i) {
      const bool held = static_cast<int>(i) < study.report.heldOut;
      (held ? heldArchs : fitArchs).push_back(archs[order[i]]);
      (held ? heldAccuracy : fitAccuracy).push_back(accuracy[order[i]]);
    }
    const PredictorKind& kind = predictorKind(study.report.model);
    study.curve = learningCurve(kind, PredictorFeatures(ctx.config.space, shape, kind.costFeatures),
                                fitArchs, fitAccuracy, heldArchs, heldAccuracy);
    study.curvePlateau = plateau(study.curve);
  }
  if (request.ceiling > 0) {
    if (auto c = measureCeiling(project, ctx, request, archs, accuracy, std::nullopt)) {
      study.ceilings.push_back(*c);
    }
    // A limited test split ranks on a sample of the test images too: the next as many.
    const int64_t limit = ctx.config.dataset.testLimit;
    if (limit > 0) {
      if (auto c = measureCeiling(project, ctx, request, archs, accuracy, limit)) {
        study.ceilings.push_back(*c);
      }
    }
  }
  return study;
}

}  // namespace sn
