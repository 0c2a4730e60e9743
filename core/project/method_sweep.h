#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/search/pareto_front.h"
#include "core/util/csv_table.h"
#include "db/records.h"

namespace sn {

class Project;
class TrainingSink;

struct SweepOptions {
  int64_t fromRun = 0;  // the recipe every method starts from; 0: the project's config
  std::vector<std::string> methods;  // 2 to 6 of MethodSpec::names()
  // passes: every run gets the reference's budget in sandwich-equivalent passes (epochs x
  // expected passes per step). time: every run gets `minutes` of estimated training steps
  // (seconds per pass measured here on the reference recipe's first steps; evaluations come
  // on top).
  std::string budget = "passes";
  double minutes = 0;
  int probeSubnets = 12;  // at least this many probe subnets per epoch, in every run alike
  std::string device = "cpu";
  int threads = 0;
  const std::atomic<bool>* stop = nullptr;
  TrainingSink* sink = nullptr;
  std::function<void(const std::string&)> say;  // one line per decision and run
};

// A run of the sweep: one method trained from the common recipe.
struct SweepRun {
  std::string method;
  int64_t runId = 0;
  int epochs = 0;
  double expectedPassesPerStep = 0;
  bool reused = false;  // made by an earlier sweep of the same recipe
};

struct MethodResult {
  std::string method;
  RunRecord run;
  int epochs = 0;
  double passes = 0;          // sandwich-equivalent passes spent, from the run's rows
  // From the throughput rows: the steps, and the epoch-end evaluations between them (a row's
  // interval runs from the previous row, evaluations included).
  double trainingSeconds = 0;
  double imagesPerSecond = 0;
  double hypervolume = 0;       // of every measured subnet of the run
  double finalHypervolume = 0;  // of the last epoch's evaluated subnets
  std::vector<std::pair<int64_t, double>> history;
  std::vector<std::optional<SubnetRecord>> best;  // per MAC limit, the most accurate under it
  std::optional<double> kendallTau;  // the predictor's cross-validated tau on the last epoch
  std::string tauNote;               // why there is none
};

struct SweepReport {
  FrontPoint reference;         // of the hypervolumes (M MACs, %)
  std::vector<double> macLimits;  // the three limits of `best`, in MACs
  std::vector<MethodResult> methods;
};

// A fair comparison of training methods: one run per method from the same recipe (data,
// seed, probe set), equal budgets, trained one after the other; then their fronts compared.
class MethodSweep {
 public:
  MethodSweep(Project& project, SweepOptions options);

  // The sweep's runs: those an earlier sweep of the same recipe made (tag sweep-run-N or
  // sweep-project), or new ones. InputError for an unknown or repeated method, fewer than 2
  // or more than 6.
  std::vector<SweepRun> prepare();
  // Trains each unfinished run (resumes one that was stopped); false when stopped.
  bool train(const std::vector<SweepRun>& runs);
  SweepReport report(const std::vector<SweepRun>& runs);

 private:
  void say(const std::string& line) const;
  std::string tag() const;
  double secondsPerPassEpoch(const nlohmann::json& config) const;

  Project& project_;
  SweepOptions options_;
};

// The report as tables: one row per method, and the hypervolume history (epoch x method).
CsvTable sweepTable(const SweepReport& report);
CsvTable sweepHistoryTable(const SweepReport& report);
nlohmann::json toJson(const SweepReport& report);

}  // namespace sn
