#include "core/project/subnet_search.h"

#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/latency/latency_model.h"
#include "core/latency/latency_profiler.h"
#include "core/project/project.h"
#include "core/project/project_latency.h"
#include "core/project/run_context.h"
#include "core/project/subnet_evaluation.h"
#include "core/train/device.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

// Where latency is predicted for: the device, batch and thread count of the request.
LatencyOptions latencyOptions(const SubnetSearchRequest& request) {
  LatencyOptions options;
  options.device = parseDevice(request.device);
  options.batch = request.latencyBatch;
  options.threads = useThreads(request.threads);
  return options;
}

std::optional<LatencyModel> latencyModel(Project& project, const RunContext& ctx,
                                         const SubnetSearchRequest& request,
                                         const LatencyOptions& options) {
  const std::string name = latencyDeviceName(options);
  std::optional<LatencyTableRecord> table = findLatencyTable(project, ctx.config, name, options.batch);
  if (!table) {
    // Only a latency limit needs one badly enough to spend the time building it.
    if (!std::isfinite(request.limits.maxLatencyMs)) return std::nullopt;
    LatencyTableRequest build;
    build.runId = ctx.run ? ctx.run->id : 0;
    build.device = request.device;
    build.threads = options.threads;
    build.batch = options.batch;
    build.validate = 10;
    build.job = request.job.asStage("latency");
    table = buildProjectLatencyTable(project, build).table;
  }
  return LatencyModel(*table, ctx.config.space, datasetShape(ctx.config.dataset));
}

SearchResult runSearch(const SearchProblem& problem, const SubnetSearchRequest& request) {
  SearchControl control;
  control.job = request.job;
  const EvolutionOptions& o = request.evolution;
  switch (request.method) {
    case SearchMethod::Nsga2:
      return nsga2Search(problem, o,
                         std::isfinite(problem.limits.maxLatencyMs) ? FrontCost::Latency : FrontCost::Macs,
                         control);
    case SearchMethod::Random:
      return randomSearch(problem, evolutionEvaluations(o), o.keep, o.seed, control);
    case SearchMethod::Evolution:
      break;
  }
  return evolutionSearch(problem, o, control);
}

SubnetRecord predictedRecord(const Candidate& c, const RunContext& ctx, bool hasLatency,
                             const std::string& latencyDevice) {
  SubnetRecord s;
  s.runId = ctx.run->id;
  if (ctx.checkpoint) {
    s.checkpointId = ctx.checkpoint->id;
    s.epoch = ctx.checkpoint->epoch;
  }
  s.arch = c.arch.toText();
  s.archHash = c.arch.hash();
  s.macs = c.macs;
  s.params = c.params;
  s.accuracy = c.fitness;
  if (hasLatency) {
    s.latencyMs = c.latencyMs;
    s.latencyDevice = latencyDevice + " (lookup table)";
  }
  s.source = SubnetSource::Predicted;
  return s;
}

// Which candidates to verify: the best few, or for a front, evenly spread along it.
std::vector<Arch> toVerify(const std::vector<Candidate>& candidates, int count, bool front) {
  std::vector<Arch> archs;
  const size_t n = std::min(candidates.size(), static_cast<size_t>(std::max(count, 0)));
  for (size_t i = 0; i < n; ++i) {
    const size_t pick = front && n > 1 ? i * (candidates.size() - 1) / (n - 1) : i;
    archs.push_back(candidates[pick].arch);
  }
  return archs;
}

}  // namespace

SearchMethod parseSearchMethod(const std::string& name) {
  if (name == "evolution") return SearchMethod::Evolution;
  if (name == "nsga2") return SearchMethod::Nsga2;
  if (name == "random") return SearchMethod::Random;
  throw InputError("unknown search method '" + name + "' (use evolution, nsga2 or random)");
}

void measuredAccuracies(const std::vector<SubnetRecord>& subnets, const SearchSpace& space,
                        std::vector<Arch>& archs, std::vector<double>& accuracy) {
  // Accuracies of the newest weights only: an epoch-1 evaluation of an arch says little of
  // it after the last epoch, and mixing epochs made the ranking noise the predictor learnt.
  std::optional<int64_t> newest;
  for (const SubnetRecord& s : subnets) {
    if (isMeasured(s.source) && s.accuracy && s.epoch && (!newest || *s.epoch > *newest)) {
      newest = s.epoch;
    }
  }
  std::map<std::string, std::pair<double, int>> byArch;
  for (const SubnetRecord& s : subnets) {
    if (!isMeasured(s.source) || !s.accuracy || s.epoch != newest) continue;
    auto& [sum, n] = byArch[s.arch];
    sum += *s.accuracy;
    ++n;
  }
  for (const auto& [text, sumCount] : byArch) {
    archs.push_back(Arch::parse(text, space));
    accuracy.push_back(sumCount.first / sumCount.second);
  }
}

SubnetSearchResult searchSubnets(Project& project, const SubnetSearchRequest& request) {
  const RunContext ctx = resolveRun(project, request.runId);
  if (!ctx.run) throw InputError(project.dir() + ": no run yet; train one, then evaluate subnets");
  std::vector<Arch> archs;
  std::vector<double> accuracy;
  measuredAccuracies(project.store().subnets().forRun(ctx.run->id), ctx.config.space, archs, accuracy);
  SubnetSearchResult result;
  const NetShape shape = datasetShape(ctx.config.dataset);
  const AccuracyPredictor predictor = AccuracyPredictor::fit(ctx.config.space, shape, archs, accuracy);
  result.searchModel = predictor.chosen();
  if (static_cast<int>(archs.size()) >= 2 * AccuracyPredictor::kMinSamples) {
    result.predictor = AccuracyPredictor::holdOut(ctx.config.space, shape, archs, accuracy,
                                                  request.predictorHoldout, 1);
  }
  const LatencyOptions device = latencyOptions(request);
  const std::optional<LatencyModel> latency = latencyModel(project, ctx, request, device);

  SearchProblem problem;
  problem.space = ctx.config.space;
  problem.shape = shape;
  // A search meets the same arch many times (small spaces: thousands of times), and a tree
  // or MLP prediction costs tens of microseconds: each arch is predicted once.
  std::unordered_map<std::string, double> predicted;
  problem.fitness = [&predictor, &predicted](const Arch& a) {
    const auto [it, fresh] = predicted.try_emplace(a.toText(), 0.0);
    if (fresh) it->second = predictor.predict(a);
    return it->second;
  };
  if (latency) problem.latencyMs = [&latency](const Arch& a) { return latency->predictMs(a); };
  problem.limits = request.limits;
  const auto start = std::chrono::steady_clock::now();
  const SearchResult found = runSearch(problem, request);
  result.searchSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.evaluations = found.evaluations;
  result.cancelled = found.cancelled;

  for (const Candidate& c : found.candidates) {
    result.predicted.push_back(predictedRecord(c, ctx, latency.has_value(), latencyDeviceName(device)));
  }
  project.store().subnets().addAll(result.predicted);
  if (result.cancelled || request.verify <= 0) return result;

  SubnetEvaluationRequest verify;
  verify.archs = toVerify(found.candidates, request.verify, request.method == SearchMethod::Nsga2);
  verify.runId = ctx.run->id;
  verify.device = request.device;
  verify.threads = request.threads;
  verify.latencyBatch = request.latencyBatch;
  verify.source = SubnetSource::Searched;
  verify.job = request.job.asStage("verify");
  const SubnetEvaluationResult evaluated = evaluateSubnets(project, verify);
  result.verified = evaluated.subnets;
  result.cancelled = evaluated.cancelled;
  return result;
}

}  // namespace sn
