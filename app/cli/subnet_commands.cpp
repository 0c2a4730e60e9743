// The subnet verbs: evaluate, latency-table, search, pareto.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/project/project.h"
#include "core/project/predictor_study.h"
#include "core/project/project_latency.h"
#include "core/project/run_context.h"
#include "core/project/subnet_evaluation.h"
#include "core/project/subnet_search.h"
#include "core/search/pareto_front.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn::cli {
namespace {

using nlohmann::json;

json optionalJson(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json subnetJson(const SubnetRecord& s) {
  return {{"id", s.id},
          {"run", s.runId},
          {"epoch", s.epoch ? json(*s.epoch) : json(nullptr)},
          {"arch", s.arch},
          {"hash", s.archHash},
          {"macs", s.macs},
          {"params", s.params},
          {"sparse_macs", s.sparseMacs},
          {"sparsity", s.sparsity},
          {"accuracy", optionalJson(s.accuracy)},
          {"latency_ms", optionalJson(s.latencyMs)},
          {"latency_device", s.latencyMs ? json(s.latencyDevice) : json(nullptr)},
          {"source", subnetSourceName(s.source)},
          {"work_seconds", s.workSeconds}};
}

void printSubnets(const std::vector<SubnetRecord>& subnets) {
  std::printf("%9s %10s %12s %10s %10s %-9s  %s\n", "id", "accuracy", "MACs", "params",
              "latency", "source", "arch");
  for (const SubnetRecord& s : subnets) {
    const std::string latency = s.latencyMs ? std::to_string(*s.latencyMs).substr(0, 6) + " ms" : "-";
    std::printf("%9lld %9.2f%% %12lld %10lld %10s %-9s  %s\n", static_cast<long long>(s.id),
                100 * s.accuracy.value_or(0), static_cast<long long>(s.macs),
                static_cast<long long>(s.params), latency.c_str(), subnetSourceName(s.source),
                s.arch.c_str());
  }
}

}  // namespace

// The one JSON shape of a stored subnet, whichever command prints it.
void printJson(const std::vector<SubnetRecord>& subnets) {
  json out = json::array();
  for (const SubnetRecord& s : subnets) out.push_back(subnetJson(s));
  std::printf("%s\n", out.dump(2).c_str());
}

CostLimits limitsFromArgs(const ArgParser& a) {
  CostLimits limits;
  if (const auto m = a.positiveDouble("--max-macs")) limits.maxMacs = *m * 1e6;
  if (const auto p = a.positiveDouble("--max-params")) limits.maxParams = *p * 1e6;
  if (const auto l = a.positiveDouble("--max-latency")) limits.maxLatencyMs = *l;
  return limits;
}

int runEval(const std::vector<std::string>& args) {
  ArgParser a(args,
              {"--arch", "--sample", "--spread", "--run", "--device", "--threads", "--seed",
               "--latency-batch", "--latency-runs", "--recal-seed"},
              {"--json", "--no-latency"});
  SubnetEvaluationRequest request;
  if (a.has("--arch")) request.archTexts.push_back(a.requiredValue("--arch"));
  request.sample = a.intOr("--sample", 0, 1);
  request.spread = a.intOr("--spread", 0, 2);
  request.runId = a.intOr("--run", 0, 1);
  request.device = a.valueOr("--device", "cpu");
  request.threads = a.intOr("--threads", 0, 1);
  request.seed = static_cast<uint64_t>(a.intOr("--seed", 1, 0));
  request.measureLatency = !a.has("--no-latency");
  request.latencyBatch = a.intOr("--latency-batch", 1, 1);
  request.latencyRuns = a.intOr("--latency-runs", 50, 1);
  if (a.has("--recal-seed")) request.recalSeed = static_cast<uint64_t>(a.intOr("--recal-seed", 0, 0));
  request.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (evaluate DIR --arch TEXT)"));
  const SubnetEvaluationResult result = evaluateSubnets(project, request);
  if (!result.trained) {
    std::fprintf(stderr, "note: no checkpoint yet; evaluated the supernet as initialised\n");
  }
  if (!result.stored) std::fprintf(stderr, "note: the project has no run; results not stored\n");
  if (result.cancelled) std::fprintf(stderr, "stopped: the subnets evaluated so far are stored\n");
  a.has("--json") ? printJson(result.subnets) : printSubnets(result.subnets);
  return 0;
}

int runLatencyTable(const std::vector<std::string>& args) {
  ArgParser a(args,
              {"--device", "--threads", "--batch", "--runs", "--validate", "--run", "--seed",
               "--method"},
              {"--json"});
  LatencyTableRequest request;
  request.method = a.valueOr("--method", "in-network");
  request.device = a.valueOr("--device", "cpu");
  request.threads = a.intOr("--threads", 0, 1);
  request.batch = a.intOr("--batch", 1, 1);
  request.runs = a.intOr("--runs", 100, 1);
  request.validate = a.intOr("--validate", 50, 0);
  request.runId = a.intOr("--run", 0, 1);
  request.seed = static_cast<uint64_t>(a.intOr("--seed", 1, 0));
  request.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (latency-table DIR)"));
  const LatencyTableResult r = buildProjectLatencyTable(project, request);
  const LatencyTableRecord& t = r.table;
  if (a.has("--json")) {
    json checks = json::array();
    for (const LatencyCheck& c : t.checks) {
      checks.push_back({{"arch", c.arch},
                        {"predicted_ms", c.predictedMs},
                        {"measured_ms", c.measuredMs},
                        {"remeasured_ms", c.remeasuredMs}});
    }
    json entries = json::object();
    for (const auto& [block, ms] : t.entries) entries[block] = ms;
    const json out = {{"id", t.id}, {"device", t.device}, {"batch", t.batch}, {"input", t.inputShape},
                      {"fixed_ms", t.fixedMs}, {"block_scale", t.blockScale}, {"blocks", entries}, {"checks", checks},
                      {"within_10_percent", r.accuracy.withinTolerance},
                      {"mean_relative_error", r.accuracy.meanRelativeError},
                      {"worst_relative_error", r.accuracy.worstRelativeError},
                      {"method", t.method},
                      {"noise_median", r.noise.median},
                      {"noise_p90", r.noise.p90}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("latency table %lld: %s, batch %lld, input %s, blocks timed %s\n",
              static_cast<long long>(t.id), t.device.c_str(), static_cast<long long>(t.batch),
              t.inputShape.c_str(), t.method == "isolated" ? "alone" : "inside subnets");
  std::printf("%10s  %s\n", "ms", "block");
  for (const auto& [block, ms] : t.entries) std::printf("%10.4f  %s\n", ms, block.c_str());
  std::printf("%10.4f  fixed part (stem, first block, head, per-forward overhead); blocks x %.3f\n", t.fixedMs, t.blockScale);
  if (!t.checks.empty()) {
    std::printf("checked against %zu measured subnets: %.0f%% within 10%%, mean error %.1f%%, worst %.1f%%\n",
                t.checks.size(), 100 * r.accuracy.withinTolerance,
                100 * r.accuracy.meanRelativeError, 100 * r.accuracy.worstRelativeError);
    std::printf("%s\n", latencyNoiseText(r.noise).c_str());
  }
  return 0;
}

int runSearch(const std::vector<std::string>& args) {
  ArgParser a(args,
              {"--max-macs", "--max-latency", "--max-params", "--method", "--population",
               "--generations", "--keep", "--verify", "--seed", "--run", "--device", "--threads",
               "--latency-batch", "--holdout"},
              {"--json"});
  SubnetSearchRequest request;
  request.predictorHoldout = a.positiveDouble("--holdout").value_or(0.2);
  if (request.predictorHoldout >= 0.9) throw InputError("option --holdout: use a share below 0.9");
  request.limits = limitsFromArgs(a);
  request.method = parseSearchMethod(a.valueOr("--method", "evolution"));
  request.evolution.population = a.intOr("--population", 100, 4);
  request.evolution.generations = a.intOr("--generations", 500, 1);
  request.evolution.keep = a.intOr("--keep", 10, 1);
  request.evolution.seed = static_cast<uint64_t>(a.intOr("--seed", 1, 0));
  request.verify = a.intOr("--verify", 3, 0);
  request.runId = a.intOr("--run", 0, 1);
  request.device = a.valueOr("--device", "cpu");
  request.threads = a.intOr("--threads", 0, 1);
  request.latencyBatch = a.intOr("--latency-batch", 1, 1);
  request.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (search DIR --max-macs M)"));
  const SubnetSearchResult r = searchSubnets(project, request);
  if (r.predictor.heldOut > 0) {
    for (const std::string& line : predictorTable(r.predictor.models)) {
      std::fprintf(stderr, "  %s\n", line.c_str());
    }
    std::fprintf(stderr, "%s\n", describePredictor(r.predictor).c_str());
  }
  std::fprintf(stderr, "search used %s, chosen on all %d subnets (CV tau %.3f, 95%% CI %.3f to %.3f)\n",
               r.searchModel.model.c_str(), r.predictor.fitted + r.predictor.heldOut,
               r.searchModel.cvTau.tau, r.searchModel.cvTau.low, r.searchModel.cvTau.high);
  std::fprintf(stderr, "search: %lld candidates in %.3f s (%.0f candidates/s)\n",
               static_cast<long long>(r.evaluations), r.searchSeconds,
               r.evaluations / std::max(r.searchSeconds, 1e-9));
  if (r.cancelled) std::fprintf(stderr, "stopped: what was found so far is stored\n");
  std::vector<SubnetRecord> all = r.predicted;
  all.insert(all.end(), r.verified.begin(), r.verified.end());
  if (a.has("--json")) {
    printJson(all);
    return 0;
  }
  std::printf("predicted (accuracy from the predictor%s):\n",
              r.predicted.empty() || !r.predicted.front().latencyMs ? "" : ", latency from the lookup table");
  printSubnets(r.predicted);
  if (!r.verified.empty()) {
    std::printf("verified by real evaluation:\n");
    printSubnets(r.verified);
  }
  return 0;
}

int runPareto(const std::vector<std::string>& args) {
  ArgParser a(args, {"--run", "--by"}, {"--json", "--all"});
  const std::string by = a.valueOr("--by", "macs");
  if (by != "macs" && by != "latency") throw InputError("option --by: use macs or latency");
  Project project = Project::open(a.required(0, "project folder (pareto DIR --json)"));
  const RunContext ctx = resolveRun(project, a.intOr("--run", 0, 1));
  if (!ctx.run) throw InputError(project.dir() + ": no run yet");
  std::vector<SubnetRecord> pool;
  for (SubnetRecord& s : project.store().subnets().forRun(ctx.run->id)) {
    if (!s.accuracy || (!isMeasured(s.source) && !a.has("--all"))) continue;
    if (by == "latency" && !s.latencyMs) continue;
    pool.push_back(std::move(s));
  }
  std::vector<FrontPoint> points;
  for (const SubnetRecord& s : pool) {
    points.push_back({by == "macs" ? static_cast<double>(s.macs) : *s.latencyMs, *s.accuracy});
  }
  std::vector<SubnetRecord> front;
  for (size_t i : paretoFront(points)) front.push_back(pool[i]);
  a.has("--json") ? printJson(front) : printSubnets(front);
  return 0;
}

namespace {

json tauJson(const TauInterval& t) { return {{"tau", t.tau}, {"low", t.low}, {"high", t.high}}; }

json studyJson(const PredictorStudy& st) {
  json models = json::array();
  for (const ModelScore& m : st.report.models) {
    json j = {{"model", m.model}, {"cv_tau", tauJson(m.cvTau)}, {"cv_rmse", m.cvRmse}};
    if (m.heldOutTau) {
      j["held_out_tau"] = tauJson(*m.heldOutTau);
      j["held_out_rmse"] = m.heldOutRmse;
    }
    models.push_back(j);
  }
  json curve = json::array();
  for (const CurvePoint& p : st.curve) curve.push_back({{"subnets", p.subnets}, {"tau", p.tau}});
  json out = {{"measured", st.measured},       {"fitted", st.report.fitted},
              {"held_out", st.report.heldOut}, {"chosen", st.report.model},
              {"models", models},              {"search_model", st.onAll.model},
              {"search_model_cv_tau", tauJson(st.onAll.cvTau)},
              {"curve", curve},                {"curve_plateau", st.curvePlateau}};
  json ceilings = json::array();
  for (const PredictorStudy::Ceiling& c : st.ceilings) {
    ceilings.push_back(
        {{"differs", c.differs}, {"subnets", c.subnets}, {"tau", tauJson(c.tau)}, {"rmse", c.rmse}});
  }
  out["ceilings"] = ceilings;
  return out;
}

void printStudy(const PredictorStudy& st) {
  std::printf("%d measured subnets of the newest epoch; held out %d\n", st.measured,
              st.report.heldOut);
  for (const std::string& line : predictorTable(st.report.models)) std::printf("  %s\n", line.c_str());
  std::printf("%s\n", describePredictor(st.report).c_str());
  std::printf("on all %d: %s (CV tau %.3f, 95%% CI %.3f to %.3f), what search uses\n", st.measured,
              st.onAll.model.c_str(), st.onAll.cvTau.tau, st.onAll.cvTau.low, st.onAll.cvTau.high);
  if (!st.curve.empty()) {
    std::printf("learning curve (%s, tau on the %d held out):", st.report.model.c_str(),
                st.report.heldOut);
    for (const CurvePoint& p : st.curve) std::printf("  %d: %.3f", p.subnets, p.tau);
    std::printf("\n  within 0.02 of its end from %d subnets\n", st.curvePlateau);
  }
  for (const PredictorStudy::Ceiling& c : st.ceilings) {
    std::printf("ceiling: %d subnets evaluated again with other %s: tau %.3f (95%% CI %.3f to "
                "%.3f), RMSE %.3f%% between the two\n",
                c.subnets, c.differs.c_str(), c.tau.tau, c.tau.low, c.tau.high, 100 * c.rmse);
  }
}

}  // namespace

int runPredictor(const std::vector<std::string>& args) {
  ArgParser a(args, {"--run", "--holdout", "--ceiling", "--recal-seed", "--device", "--threads"},
              {"--json", "--no-curve"});
  PredictorStudyRequest request;
  request.runId = a.intOr("--run", 0, 1);
  request.holdout = a.positiveDouble("--holdout").value_or(0.3);
  if (request.holdout >= 0.9) throw InputError("option --holdout: use a share below 0.9");
  request.ceiling = a.intOr("--ceiling", 0, 0);
  request.recalSeed = static_cast<uint64_t>(a.intOr("--recal-seed", 2, 0));
  request.curve = !a.has("--no-curve");
  request.device = a.valueOr("--device", "cpu");
  request.threads = a.intOr("--threads", 0, 1);
  request.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (predictor DIR)"));
  const PredictorStudy study = studyPredictor(project, request);
  if (a.has("--json")) {
    std::printf("%s\n", studyJson(study).dump(2).c_str());
  } else {
    printStudy(study);
  }
  return 0;
}

}  // namespace sn::cli
