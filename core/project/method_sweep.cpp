#include "core/project/method_sweep.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/compare/run_comparison.h"
#include "core/data/dataset_spec.h"
#include "core/project/project.h"
#include "core/project/project_config.h"
#include "core/project/run_manager.h"
#include "core/project/training_session.h"
#include "core/project/workbench.h"
#include "core/search/accuracy_predictor.h"
#include "core/space/arch.h"
#include "core/train/method_budget.h"
#include "core/train/train_recipe.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

constexpr double kLimitShares[] = {0.25, 0.5, 0.75};

// The common recipe with `method` (its defaults, or the source's section when the source
// already trains with it), the probe set raised to `probe`, and `epochs`.
ProjectConfig methodConfig(const ProjectConfig& base, const std::string& method, int probe, int epochs) {
  ProjectConfig c = base;
  if (c.recipe.method.name != method) {
    c.recipe.method = MethodSpec{};
    c.recipe.method.name = method;
  }
  c.recipe.probeSubnets = std::max(c.recipe.probeSubnets, probe);
  c.recipe.epochs = epochs;
  return c;
}

// Passes and training seconds from the run's rows: each throughput row covers the steps
// since the previous row at its rate (its interval includes an epoch-end evaluation that fell
// in it).
void spentFrom(Store& store, const RunRecord& run, int64_t globalBatch, MethodResult& m) {
  const std::vector<MetricSample> rate = store.metrics().series(run.id, "throughput/images_per_s");
  const std::vector<MetricSample> passes = store.metrics().series(run.id, "budget/passes_per_step");
  int64_t last = 0;
  for (const MetricSample& r : rate) {
    if (r.value > 0) m.trainingSeconds += static_cast<double>((r.step - last) * globalBatch) / r.value;
    last = r.step;
  }
  m.imagesPerSecond = m.trainingSeconds > 0 ? static_cast<double>(last * globalBatch) / m.trainingSeconds : 0;
  last = 0;
  for (const MetricSample& p : passes) {
    m.passes += static_cast<double>(p.step - last) * p.value;
    last = p.step;
  }
}

// The predictor's cross-validated Kendall tau on the run's last evaluated epoch.
void predictorTau(Store& store, const RunRecord& run, const ProjectConfig& config, MethodResult& m) {
  std::map<int64_t, std::map<std::string, double>> byEpoch;  // epoch -> arch -> accuracy
  for (const SubnetRecord& s : store.subnets().forRun(run.id)) {
    if (s.source == SubnetSource::Evaluated && s.epoch && s.accuracy) byEpoch[*s.epoch][s.arch] = *s.accuracy;
  }
  if (byEpoch.empty()) {
    m.tauNote = "no evaluated subnets";
    return;
  }
  const auto& last = byEpoch.rbegin()->second;
  if (static_cast<int>(last.size()) < AccuracyPredictor::kMinSamples) {
    m.tauNote = std::to_string(last.size()) + " subnets in the last epoch; the predictor needs " +
                std::to_string(AccuracyPredictor::kMinSamples);
    return;
  }
  std::vector<Arch> archs;
  std::vector<double> accuracy;
  for (const auto& [text, acc] : last) {
    archs.push_back(Arch::parse(text, config.space));
    accuracy.push_back(acc);
  }
  m.kendallTau =
      AccuracyPredictor::fit(config.space, datasetShape(config.dataset), archs, accuracy).chosen().cvTau.tau;
}

}  // namespace

MethodSweep::MethodSweep(Project& project, SweepOptions options) : project_(project), options_(std::move(options)) {}

void MethodSweep::say(const std::string& line) const {
  if (options_.say) options_.say(line);
}

std::string MethodSweep::tag() const {
  return options_.fromRun > 0 ? "sweep-run-" + std::to_string(options_.fromRun) : "sweep-project";
}

// Seconds a pass-epoch (a sandwich-equivalent pass over every batch of an epoch) takes on this
// machine, from a few steps of the reference recipe.
double MethodSweep::secondsPerPassEpoch(const nlohmann::json& config) const {
  ProjectConfig c = ProjectConfig::fromJson(config, "sweep");
  Workbench w = Workbench::prepare(c, options_.device, options_.threads, c.recipe.epochs);
  w.trainer->step();  // warm-up: allocations, first-touch
  constexpr int kSteps = 4;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kSteps; ++i) w.trainer->step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return seconds / (kSteps * expectedPassesPerStep(c.recipe)) * static_cast<double>(w.trainer->stepsPerEpoch());
}

std::vector<SweepRun> MethodSweep::prepare() {
  const std::vector<std::string>& known = MethodSpec::names();
  const std::set<std::string> distinct(options_.methods.begin(), options_.methods.end());
  if (options_.methods.size() < 2 || options_.methods.size() > 6 || distinct.size() != options_.methods.size()) {
    throw InputError("sweep-methods: give 2 to 6 different methods (--methods a,b,c)");
  }
  for (const std::string& m : options_.methods) {
    if (std::find(known.begin(), known.end(), m) == known.end()) {
      throw InputError("sweep-methods: unknown method '" + m + "'");
    }
  }
  if (options_.budget != "passes" && options_.budget != "time") {
    throw InputError("sweep-methods: --budget must be passes or time, not '" + options_.budget + "'");
  }
  if (options_.budget == "time" && !(options_.minutes > 0)) {
    throw InputError("sweep-methods: --budget time needs --minutes M (each method's training time)");
  }
  RunManager manager(project_);
  const nlohmann::json baseJson = options_.fromRun > 0 ? manager.configOf(options_.fromRun) : project_.config().toJson();
  const ProjectConfig base = ProjectConfig::fromJson(baseJson, options_.fromRun > 0
                                                                   ? "run " + std::to_string(options_.fromRun)
                                                                   : project_.dir() + "/project config");
  // The budget in pass-epochs (a sandwich-equivalent pass over every batch of an epoch): the
  // reference's epochs x its passes per step, or the minutes over a timed pass-epoch. Only a
  // new run needs it: a run an earlier sweep made keeps the epochs it was made with.
  std::optional<double> budget;
  const auto budgetPasses = [&] {
    if (budget) return *budget;
    budget = base.recipe.epochs * expectedPassesPerStep(base.recipe);
    if (options_.budget == "time") {
      const double perPass = secondsPerPassEpoch(baseJson);
      budget = options_.minutes * 60 / perPass;
      char line[160];
      std::snprintf(line, sizeof line, "measured %.1f s per pass-epoch: %.1f min is %.1f pass-epochs", perPass,
                    options_.minutes, *budget);
      say(line);
    }
    return *budget;
  };
  const std::vector<RunRecord> existing = project_.store().runs().all();
  std::vector<SweepRun> runs;
  for (const std::string& method : options_.methods) {
    SweepRun r;
    r.method = method;
    r.expectedPassesPerStep = expectedPassesPerStep(methodConfig(base, method, options_.probeSubnets, 1).recipe);
    for (const RunRecord& e : existing) {
      const bool tagged = std::find(e.tags.begin(), e.tags.end(), tag()) != e.tags.end();
      if (tagged && methodOfConfig(nlohmann::json::parse(e.configJson, nullptr, false)) == method) {
        r.runId = e.id;
        r.reused = true;
        r.epochs = ProjectConfig::fromText(e.configJson, "run " + std::to_string(e.id)).recipe.epochs;
      }
    }
    if (!r.reused) {
      r.epochs = std::max(1, static_cast<int>(std::lround(budgetPasses() / r.expectedPassesPerStep)));
      NewRunRequest request;
      request.name = method + (options_.fromRun > 0 ? " (sweep of run " + std::to_string(options_.fromRun) + ")"
                                                    : " (sweep)");
      request.tags = {tag(), "method-sweep"};
      request.config = methodConfig(base, method, options_.probeSubnets, r.epochs).toJson();
      r.runId = manager.create(request, options_.fromRun > 0 ? "sweep of run " + std::to_string(options_.fromRun)
                                                             : "sweep of the project config");
    }
    char line[200];
    std::snprintf(line, sizeof line, "%s: run %lld%s, %d epochs at %.2f passes per step", method.c_str(),
                  static_cast<long long>(r.runId), r.reused ? " (from an earlier sweep)" : "", r.epochs,
                  r.expectedPassesPerStep);
    say(line);
    runs.push_back(r);
  }
  return runs;
}

bool MethodSweep::train(const std::vector<SweepRun>& runs) {
  for (const SweepRun& r : runs) {
    if (options_.stop && options_.stop->load()) return false;
    const auto run = project_.store().runs().find(r.runId);
    if (!run) throw InputError(project_.dir() + ": run " + std::to_string(r.runId) + " is gone");
    if (run->status == RunStatus::Finished) continue;
    SessionOptions o;
    o.device = options_.device;
    o.threads = options_.threads;
    o.stop = options_.stop;
    o.sink = options_.sink;
    say(r.method + ": training run " + std::to_string(r.runId) +
        (run->status == RunStatus::Created ? "" : " (resumed)"));
    SessionResult result;
    if (run->status == RunStatus::Created) {
      o.runId = r.runId;
      result = TrainingSession(project_, o).start();
    } else {
      result = TrainingSession(project_, o).resume(r.runId);
    }
    if (result.status != RunStatus::Finished) return false;
  }
  return true;
}

SweepReport MethodSweep::report(const std::vector<SweepRun>& runs) {
  Store& store = project_.store();
  std::vector<int64_t> ids;
  for (const SweepRun& r : runs) ids.push_back(r.runId);
  RunComparison c = compareRuns(store, ids, CompareOptions{});
  SweepReport report;
  report.reference = c.reference;
  double lowest = INFINITY, highest = 0;
  for (const RunFront& f : c.runs) {
    for (const MeasuredSubnet& s : f.measured) {
      lowest = std::min(lowest, static_cast<double>(s.macs));
      highest = std::max(highest, static_cast<double>(s.macs));
    }
  }
  for (size_t k = 0; k < c.runs.size(); ++k) {
    const RunFront& f = c.runs[k];
    MethodResult m;
    m.method = runs[k].method;
    m.run = f.run;
    const ProjectConfig config = ProjectConfig::fromText(f.run.configJson, "run " + std::to_string(f.run.id));
    m.epochs = config.recipe.epochs;
    m.hypervolume = f.hypervolume;
    m.history = f.history;
    m.finalHypervolume = f.history.empty() ? 0 : f.history.back().second;
    spentFrom(store, f.run, static_cast<int64_t>(config.recipe.batchSize) * config.recipe.distributed.worldSize, m);
    predictorTau(store, f.run, config, m);
    report.methods.push_back(std::move(m));
  }
  if (std::isfinite(lowest)) {
    for (double share : kLimitShares) {
      const double limit = lowest + share * (highest - lowest);
      report.macLimits.push_back(limit);
      CostLimits limits;
      limits.maxMacs = limit;
      applyLimits(c, limits);
      for (size_t k = 0; k < c.runs.size(); ++k) report.methods[k].best.push_back(c.runs[k].best);
    }
  }
  return report;
}

CsvTable sweepTable(const SweepReport& report) {
  CsvTable t{{"method", "run", "epochs", "passes", "training_s", "images_per_s", "hypervolume",
              "final_hypervolume", "kendall_tau"},
             {}};
  for (size_t i = 0; i < report.macLimits.size(); ++i) {
    t.header.push_back("best_acc_pct_under_" + csvNumber(report.macLimits[i] / 1e6) + "M");
  }
  for (const MethodResult& m : report.methods) {
    std::vector<std::string> row = {m.method,
                                    std::to_string(m.run.id),
                                    std::to_string(m.epochs),
                                    csvNumber(m.passes),
                                    csvNumber(m.trainingSeconds),
                                    csvNumber(m.imagesPerSecond),
                                    csvNumber(m.hypervolume),
                                    csvNumber(m.finalHypervolume),
                                    m.kendallTau ? csvNumber(*m.kendallTau) : ""};
    for (const auto& b : m.best) row.push_back(b && b->accuracy ? csvNumber(100 * *b->accuracy) : "");
    t.rows.push_back(std::move(row));
  }
  return t;
}

CsvTable sweepHistoryTable(const SweepReport& report) {
  CsvTable t{{"epoch"}, {}};
  std::set<int64_t> epochs;
  for (const MethodResult& m : report.methods) {
    t.header.push_back(m.method);
    for (const auto& [epoch, hv] : m.history) epochs.insert(epoch);
  }
  for (int64_t epoch : epochs) {
    std::vector<std::string> row = {std::to_string(epoch)};
    for (const MethodResult& m : report.methods) {
      const auto it = std::find_if(m.history.begin(), m.history.end(), [&](const auto& h) { return h.first == epoch; });
      row.push_back(it == m.history.end() ? "" : csvNumber(it->second));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

nlohmann::json toJson(const SweepReport& report) {
  using nlohmann::json;
  json methods = json::array();
  for (const MethodResult& m : report.methods) {
    json best = json::array();
    for (size_t i = 0; i < m.best.size(); ++i) best.push_back({{"max_macs", report.macLimits[i]}, {"subnet", bestJson(m.best[i])}});
    methods.push_back({{"method", m.method},
                       {"run", m.run.id},
                       {"status", runStatusName(m.run.status)},
                       {"epochs", m.epochs},
                       {"passes", m.passes},
                       {"training_seconds", m.trainingSeconds},
                       {"images_per_second", m.imagesPerSecond},
                       {"hypervolume", m.hypervolume},
                       {"final_hypervolume", m.finalHypervolume},
                       {"history", historyJson(m.history)},
                       {"best", best},
                       {"kendall_tau", m.kendallTau ? json(*m.kendallTau) : json()},
                       {"kendall_tau_note", m.tauNote}});
  }
  return {{"reference", {{"cost_mmacs", report.reference.cost}, {"accuracy_pct", report.reference.accuracy}}},
          {"methods", methods}};
}

}  // namespace sn
