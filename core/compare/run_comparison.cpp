#include "core/compare/run_comparison.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/compare/hypervolume.h"
#include "core/search/streaming_front.h"
#include "core/util/input_error.h"
#include "db/run_repository.h"
#include "db/store.h"

namespace sn {
namespace {

constexpr size_t kMaxRuns = 6;

bool isLatency(const std::string& by) { return by == "latency"; }

// A point on the comparison's axes from a stored cost (MACs, or ms by latency) and accuracy
// (0-1): cost in M MACs or ms, accuracy in %. The one place those units are made.
FrontPoint axisPoint(bool byLatency, double cost, double accuracy) {
  return {byLatency ? cost : cost / 1e6, 100 * accuracy};
}

// By a flag, not the `by` string: it is called for every measured subnet several times over.
FrontPoint pointOf(const MeasuredSubnet& s, bool byLatency) {
  const double cost = byLatency ? s.latencyMs.value_or(std::numeric_limits<double>::infinity())
                                : static_cast<double>(s.macs);
  return axisPoint(byLatency, cost, s.accuracy);
}

// The run's measured subnets with a cost on `by`, numbers only, row by row: the predicted and
// unmeasured are never held (a fifth of a large run), nor any arch text.
std::vector<MeasuredSubnet> measuredSubnets(Store& store, int64_t runId, const std::string& by) {
  std::vector<MeasuredSubnet> out;
  const bool byLatency = isLatency(by);
  // Growing by doubling copied and faulted in each run's numbers several times over.
  out.reserve(static_cast<size_t>(store.subnets().count(runId)));
  store.subnets().forEachCost(runId, [&](const SubnetView& v) {
    if (!isMeasured(v.source) || !v.accuracy) return true;
    if (byLatency && !v.latencyMs) return true;  // no cost on that axis
    out.push_back({v.id, v.epoch, v.macs, v.params, v.latencyMs, *v.accuracy, v.source});
    return true;
  }, true);
  return out;
}

// Runs `each(store, k)` once for each k in [0, n) on two connections at once: `store` and a
// second read-only one in its own thread (on two cores six runs of 200k take about half the
// time). Each thread takes the next k, so a thread slowed by the rest of the machine takes
// fewer. The first exception of either thread is rethrown as it was; the other stops taking.
template <typename F>
void onTwoConnections(Store& store, size_t n, F each) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&](Store& own) {
    for (size_t k = next++; k < n && !failed; k = next++) each(own, k);
  };
  std::exception_ptr secondError;
  std::thread second([&] {
    try {
      Store own(store.db().path(), Database::Mode::ReadOnly, Database::Threads::One);
      work(own);
    } catch (...) {
      secondError = std::current_exception();
      failed = true;
    }
  });
  try {
    work(store);
  } catch (...) {
    failed = true;
    second.join();
    throw;
  }
  second.join();
  if (secondError) std::rethrow_exception(secondError);
}

// Appends the sampled points, less those already drawn on the front.
void addSample(RunPoints& r, const std::vector<std::pair<int64_t, FrontPoint>>& sample) {
  const std::set<int64_t> onFront(r.ids.begin(), r.ids.end());
  for (const auto& [id, p] : sample) {
    if (onFront.count(id)) continue;
    r.ids.push_back(id);
    r.points.push_back(p);
  }
}

// A run's first view, read row by row: only its front and an even sample are held.
RunPoints measuredPoints(Store& store, int64_t runId, const std::string& by) {
  const bool byLatency = isLatency(by);
  // Of all the run's rows, a bound on the measured: the sample comes out a little smaller.
  const size_t stride = drawStride(static_cast<size_t>(store.subnets().count(runId)));
  StreamingFront front;
  std::vector<std::pair<int64_t, FrontPoint>> sample;
  RunPoints r;
  store.subnets().forEachPoint(runId, byLatency, [&](int64_t id, double cost, double accuracy) {
    const FrontPoint p = axisPoint(byLatency, cost, accuracy);
    front.add(id, p);
    if (r.measured++ % stride == 0) sample.push_back({id, p});
  });
  for (const auto& [id, p] : front.points()) {
    r.ids.push_back(id);
    r.points.push_back(p);
  }
  r.frontSize = r.ids.size();
  addSample(r, sample);
  return r;
}

std::vector<size_t> frontOf(const std::vector<MeasuredSubnet>& subnets, const std::string& by) {
  std::vector<FrontPoint> points;
  points.reserve(subnets.size());
  const bool byLatency = isLatency(by);
  for (const MeasuredSubnet& s : subnets) points.push_back(pointOf(s, byLatency));
  return paretoFront(points);
}

// Defaults the user can override: a little beyond the worst cost and accuracy seen, so the
// extreme subnets of every run still add area.
FrontPoint referencePoint(const std::vector<RunFront>& runs, const CompareOptions& o) {
  double maxCost = 0;
  double minAccuracy = 100;
  const bool byLatency = isLatency(o.by);
  for (const RunFront& r : runs) {
    for (const MeasuredSubnet& s : r.measured) {
      const FrontPoint p = pointOf(s, byLatency);
      maxCost = std::max(maxCost, p.cost);
      minAccuracy = std::min(minAccuracy, p.accuracy);
    }
  }
  return {o.referenceCost.value_or(maxCost > 0 ? 1.1 * maxCost : 1.0),
          o.referenceAccuracy.value_or(std::max(0.0, minAccuracy - 1))};
}

double hypervolumeOf(const std::vector<MeasuredSubnet>& subnets, const std::string& by,
                     const FrontPoint& reference) {
  std::vector<FrontPoint> points;
  points.reserve(subnets.size());
  const bool byLatency = isLatency(by);
  for (const MeasuredSubnet& s : subnets) points.push_back(pointOf(s, byLatency));
  return hypervolume(std::move(points), reference);
}

std::vector<std::pair<int64_t, double>> historyOf(const RunFront& r, const std::string& by,
                                                   const FrontPoint& reference) {
  std::map<int64_t, std::vector<FrontPoint>> byEpoch;
  const bool byLatency = isLatency(by);
  for (const MeasuredSubnet& s : r.measured) {
    if (s.source == SubnetSource::Evaluated && s.epoch)
      byEpoch[*s.epoch].push_back(pointOf(s, byLatency));
  }
  std::vector<std::pair<int64_t, double>> history;
  for (auto& [epoch, points] : byEpoch) history.emplace_back(epoch, hypervolume(std::move(points), reference));
  return history;
}

// The constraint sliders' question, answered from the run's skyline: a short scan instead
// of a pass over every measured subnet (six runs of 200k on every slider step).
SubnetSkyline skylineOf(const std::vector<MeasuredSubnet>& subnets) {
  std::vector<SkylineEntry> entries;
  entries.reserve(subnets.size());
  for (const MeasuredSubnet& s : subnets) {
    entries.push_back({s.id, static_cast<double>(s.macs), static_cast<double>(s.params),
                       s.latencyMs.value_or(std::numeric_limits<double>::infinity()), s.accuracy});
  }
  return SubnetSkyline(std::move(entries));
}

// The whole records of the front's and the skyline's subnets, a point query each (a few
// thousand of a run's 200k).
std::map<int64_t, SubnetRecord> shownRecords(Store& store, const RunFront& r) {
  std::map<int64_t, SubnetRecord> shown;
  const auto add = [&](int64_t id) {
    if (shown.count(id)) return;
    if (auto s = store.subnets().find(id)) shown.emplace(id, std::move(*s));
  };
  for (size_t i : r.front) add(r.measured[i].id);
  for (const SkylineEntry& e : r.skyline.entries()) add(e.id);
  return shown;
}

std::optional<SubnetRecord> bestWithin(const RunFront& r, const CostLimits& limits) {
  const std::optional<SkylineEntry> best = r.skyline.best(limits);
  if (!best) return std::nullopt;
  const auto it = r.shown.find(best->id);
  if (it == r.shown.end()) return std::nullopt;  // deleted since it was read
  return it->second;
}

std::string runLabel(const RunRecord& r) { return std::to_string(r.id); }

std::string archOf(const RunFront& r, int64_t id) {
  const auto it = r.shown.find(id);
  return it == r.shown.end() ? std::string() : it->second.arch;
}

std::string optionalNumber(const std::optional<double>& v, double scale = 1) {
  return v ? csvNumber(*v * scale) : std::string();
}

std::string costUnit(const std::string& by) { return by == "latency" ? "ms" : "mmacs"; }

}  // namespace

std::string methodOfConfig(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("recipe") || !config["recipe"].is_object()) return "sandwich";
  const nlohmann::json& method = config["recipe"].value("method", nlohmann::json("sandwich"));
  return method.is_string() ? method.get<std::string>() : "sandwich";
}

double subnetCost(const MeasuredSubnet& s, const std::string& by) {
  return pointOf(s, isLatency(by)).cost;
}

RunComparison compareRuns(Store& store, const std::vector<int64_t>& runIds,
                          const CompareOptions& options, const FrontsSeen& onFronts) {
  if (options.by != "macs" && options.by != "latency") {
    throw InputError("compare by '" + options.by + "': expected macs or latency");
  }
  if (runIds.size() < 2 || runIds.size() > kMaxRuns) {
    throw InputError("compare takes 2 to 6 runs, not " + std::to_string(runIds.size()));
  }
  if (std::set<int64_t>(runIds.begin(), runIds.end()).size() != runIds.size()) {
    throw InputError("compare: a run is named twice");
  }
  RunComparison c;
  c.by = options.by;
  c.limits = options.limits;
  std::vector<nlohmann::json> configs;
  for (int64_t id : runIds) {
    auto run = store.runs().find(id);
    if (!run) throw InputError(store.db().path() + ": no run " + std::to_string(id));
    RunFront r;
    configs.push_back(nlohmann::json::parse(run->configJson, nullptr, false));
    r.method = methodOfConfig(configs.back());
    r.run = std::move(*run);
    c.runs.push_back(std::move(r));
  }
  if (onFronts) {
    std::vector<RunPoints> points(c.runs.size());
    onTwoConnections(store, c.runs.size(), [&](Store& own, size_t k) {
      points[k] = measuredPoints(own, runIds[k], options.by);
    });
    onFronts(c, points);
  }
  // Each run's numbers and front, then its skyline, shown records and hypervolumes.
  onTwoConnections(store, c.runs.size(), [&](Store& own, size_t k) {
    RunFront& r = c.runs[k];
    r.measured = measuredSubnets(own, runIds[k], options.by);
    r.front = frontOf(r.measured, options.by);
  });
  c.reference = referencePoint(c.runs, options);
  onTwoConnections(store, c.runs.size(), [&](Store& own, size_t k) {
    RunFront& r = c.runs[k];
    r.skyline = skylineOf(r.measured);
    r.shown = shownRecords(own, r);
    r.best = bestWithin(r, options.limits);
    r.hypervolume = hypervolumeOf(r.measured, options.by, c.reference);
    r.history = historyOf(r, options.by, c.reference);
  });
  c.recipeDiff = recipeDiff(configs);
  return c;
}

RunPoints pointsOf(const RunFront& r, const std::string& by) {
  const bool byLatency = isLatency(by);
  RunPoints p;
  p.measured = r.measured.size();
  for (size_t i : r.front) {
    p.ids.push_back(r.measured[i].id);
    p.points.push_back(pointOf(r.measured[i], byLatency));
  }
  p.frontSize = p.ids.size();
  std::vector<std::pair<int64_t, FrontPoint>> sample;
  for (size_t i = 0, stride = drawStride(r.measured.size()); i < r.measured.size(); i += stride) {
    sample.push_back({r.measured[i].id, pointOf(r.measured[i], byLatency)});
  }
  addSample(p, sample);
  return p;
}

void applyLimits(RunComparison& c, const CostLimits& limits) {
  c.limits = limits;
  for (RunFront& r : c.runs) r.best = bestWithin(r, limits);
}

CsvTable hypervolumeTable(const RunComparison& c) {
  const std::string unit = costUnit(c.by);
  CsvTable t{{"run", "name", "status", "method", "tags", "measured_subnets", "front_size", "hypervolume",
              "reference_cost_" + unit, "reference_accuracy_pct"},
             {}};
  for (const RunFront& r : c.runs) {
    t.rows.push_back({runLabel(r.run), r.run.name, runStatusName(r.run.status), r.method,
                      joinTags(r.run.tags), std::to_string(r.measured.size()),
                      std::to_string(r.front.size()), csvNumber(r.hypervolume),
                      csvNumber(c.reference.cost), csvNumber(c.reference.accuracy)});
  }
  return t;
}

CsvTable bestSubnetTable(const RunComparison& c) {
  CsvTable t{{"run", "name", "subnet", "arch", "mmacs", "mparams", "latency_ms", "accuracy_pct"},
             {}};
  for (const RunFront& r : c.runs) {
    if (!r.best) {
      t.rows.push_back({runLabel(r.run), r.run.name, "", "", "", "", "", ""});
      continue;
    }
    const SubnetRecord& s = *r.best;
    t.rows.push_back({runLabel(r.run), r.run.name, std::to_string(s.id), s.arch,
                      csvNumber(s.macs / 1e6), csvNumber(s.params / 1e6),
                      optionalNumber(s.latencyMs), optionalNumber(s.accuracy, 100)});
  }
  return t;
}

CsvTable recipeDiffTable(const RunComparison& c) {
  CsvTable t{{"key"}, {}};
  for (const RunFront& r : c.runs) t.header.push_back("run " + runLabel(r.run));
  for (const DiffRow& d : c.recipeDiff) {
    std::vector<std::string> row{d.key};
    for (const auto& v : d.values) row.push_back(v.value_or("(none)"));
    t.rows.push_back(std::move(row));
  }
  return t;
}

CsvTable historyTable(const RunComparison& c) {
  CsvTable t{{"run", "epoch", "hypervolume"}, {}};
  for (const RunFront& r : c.runs) {
    for (const auto& [epoch, hv] : r.history) {
      t.rows.push_back({runLabel(r.run), std::to_string(epoch), csvNumber(hv)});
    }
  }
  return t;
}

CsvTable frontTable(const RunComparison& c) {
  CsvTable t{{"run", "subnet", "arch", "cost_" + costUnit(c.by), "accuracy_pct"}, {}};
  for (const RunFront& r : c.runs) {
    for (size_t i : r.front) {
      const MeasuredSubnet& s = r.measured[i];
      const FrontPoint p = pointOf(s, isLatency(c.by));
      t.rows.push_back({runLabel(r.run), std::to_string(s.id), archOf(r, s.id), csvNumber(p.cost),
                        csvNumber(p.accuracy)});
    }
  }
  return t;
}

CsvTable curvesTable(Store& store, const std::vector<int64_t>& runIds, const std::string& key) {
  CsvTable t{{"run", "step", "epoch", "seconds", key}, {}};
  for (int64_t id : runIds) {
    const std::vector<MetricSample> samples = store.metrics().series(id, key);
    if (samples.empty()) continue;
    const double start = samples.front().wallTime;
    for (const MetricSample& m : samples) {
      t.rows.push_back({std::to_string(id), std::to_string(m.step), csvNumber(m.epoch),
                        csvNumber(m.wallTime - start), csvNumber(m.value)});
    }
  }
  return t;
}

nlohmann::json bestJson(const std::optional<SubnetRecord>& best) {
  using nlohmann::json;
  if (!best) return nullptr;
  return {{"subnet", best->id}, {"arch", best->arch}, {"macs", best->macs}, {"params", best->params},
          {"accuracy", 100 * best->accuracy.value_or(0)},
          {"latency_ms", best->latencyMs ? json(*best->latencyMs) : json(nullptr)}};
}

nlohmann::json historyJson(const std::vector<std::pair<int64_t, double>>& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [epoch, hv] : history) out.push_back({{"epoch", epoch}, {"hypervolume", hv}});
  return out;
}

nlohmann::json toJson(const RunComparison& c) {
  using nlohmann::json;
  json runs = json::array();
  for (const RunFront& r : c.runs) {
    json front = json::array();
    for (size_t i : r.front) {
      const FrontPoint p = pointOf(r.measured[i], isLatency(c.by));
      front.push_back({{"subnet", r.measured[i].id}, {"arch", archOf(r, r.measured[i].id)},
                       {"cost", p.cost}, {"accuracy", p.accuracy}});
    }
    runs.push_back({{"id", r.run.id},
                    {"name", r.run.name},
                    {"status", runStatusName(r.run.status)},
                    {"method", r.method},
                    {"tags", r.run.tags},
                    {"measured_subnets", r.measured.size()},
                    {"hypervolume", r.hypervolume},
                    {"front", front},
                    {"history", historyJson(r.history)},
                    {"best", bestJson(r.best)}});
  }
  json diff = json::array();
  for (const DiffRow& d : c.recipeDiff) {
    json values = json::array();
    for (const auto& v : d.values) values.push_back(v ? json(*v) : json(nullptr));
    diff.push_back({{"key", d.key}, {"values", values}});
  }
  auto limit = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  return {{"by", c.by},
          {"cost_unit", c.by == "latency" ? "ms" : "M MACs"},
          {"accuracy_unit", "%"},
          {"reference", {{"cost", c.reference.cost}, {"accuracy", c.reference.accuracy}}},
          {"limits",
           {{"max_macs", limit(c.limits.maxMacs)},
            {"max_params", limit(c.limits.maxParams)},
            {"max_latency_ms", limit(c.limits.maxLatencyMs)}}},
          {"runs", runs},
          {"recipe_diff", diff}};
}

}  // namespace sn
