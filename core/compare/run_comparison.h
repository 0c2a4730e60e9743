#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/compare/measured_subnet.h"
#include "core/compare/recipe_diff.h"
#include "core/compare/run_points.h"
#include "core/search/pareto_front.h"
#include "core/search/subnet_skyline.h"
#include "core/util/csv_table.h"
#include "db/records.h"

namespace sn {

class Store;

struct CompareOptions {
  std::string by = "macs";  // macs (cost in M MACs) | latency (cost in ms)
  // The hypervolume's reference point, cost in the unit above and accuracy in %. Unset: 1.1x
  // the highest cost and 1 point below the lowest accuracy of all compared runs' subnets.
  std::optional<double> referenceCost;
  std::optional<double> referenceAccuracy;
  CostLimits limits;  // for each run's best subnet (MACs, params, ms)
};

// One run as the compare view shows it. Only measured subnets count (evaluated or
// searched-and-verified; predicted accuracies are not measurements), and with `by latency`
// only those with a measured latency.
struct RunFront {
  RunRecord run;
  std::string method;  // the recipe's training method (recipe.method; sandwich when unset)
  std::vector<MeasuredSubnet> measured;  // in id order
  std::vector<size_t> front;  // into measured, by ascending cost
  double hypervolume = 0;
  // Per epoch: the hypervolume of the subnets evaluated at that epoch (the probe set and the
  // largest and smallest), against the same reference: how the front grew while training.
  std::vector<std::pair<int64_t, double>> history;
  std::optional<SubnetRecord> best;  // most accurate within the limits
  SubnetSkyline skyline;              // of measured: what best is picked from
  // The whole records (arch text and all) of the front's and the skyline's subnets: every
  // subnet a table, the CSV or `best` can name, whatever the limits. By id.
  std::map<int64_t, SubnetRecord> shown;
};

struct RunComparison {
  std::string by;
  FrontPoint reference;  // cost in M MACs or ms, accuracy in %
  CostLimits limits;
  std::vector<RunFront> runs;
  std::vector<DiffRow> recipeDiff;  // of the runs' configs (device included)
};

// What a comparison's first view sees: the runs' records and methods (nothing measured yet)
// and what the scatter draws of each run, in the order of the runs.
using FrontsSeen =
    std::function<void(const RunComparison& runs, const std::vector<RunPoints>& points)>;

// Reads everything from the project database, so runs still training compare as they are
// now; the runs are read on two connections at once (the second opened read-only on the same
// file), each taking the next run. InputError for fewer than 2 or more than 6 runs, a
// repeated or unknown run id, or an unknown `by`.
// `onFronts`, when given, is called first, once every run's front and sample are read (three
// columns of each measured subnet, holding only those: a third of the time of the whole
// numbers read next): a first view of a large comparison. Without it, nothing is read twice.
RunComparison compareRuns(Store& store, const std::vector<int64_t>& runIds,
                          const CompareOptions& options, const FrontsSeen& onFronts = {});

// What the scatter of a whole comparison draws of one of its runs.
RunPoints pointsOf(const RunFront& r, const std::string& by);

// Re-picks each run's best subnet for new limits (the sliders move) without reading the
// database again.
void applyLimits(RunComparison& c, const CostLimits& limits);

// The training method a run's config names (recipe.method), "sandwich" when it names none.
std::string methodOfConfig(const nlohmann::json& config);

// A subnet's cost on the comparison's axis: M MACs or ms (+inf when unmeasured).
double subnetCost(const MeasuredSubnet& s, const std::string& by);

// The JSON of a run's best subnet within limits (accuracy in %; null when none) and of its
// hypervolume history: compare's and sweep-methods' one shape.
nlohmann::json bestJson(const std::optional<SubnetRecord>& best);
nlohmann::json historyJson(const std::vector<std::pair<int64_t, double>>& history);

// The comparison's tables, the same in the GUI, its CSV export and `supernet-cli compare`.
CsvTable hypervolumeTable(const RunComparison& c);  // one row per run
CsvTable bestSubnetTable(const RunComparison& c);   // one row per run
CsvTable recipeDiffTable(const RunComparison& c);   // one row per differing key
CsvTable historyTable(const RunComparison& c);      // run, epoch, hypervolume
CsvTable frontTable(const RunComparison& c);        // every front point of every run
// Training curves of one metric key: run, step, epoch, seconds since the run's first row,
// value. What the overlaid curves plot, aligned by any of the three.
CsvTable curvesTable(Store& store, const std::vector<int64_t>& runIds, const std::string& key);

nlohmann::json toJson(const RunComparison& c);

}  // namespace sn
