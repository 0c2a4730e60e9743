#pragma once
// A real project database filled with many subnets of known numbers: what the Pareto view,
// the constraint sliders and their benchmark run on without hours of evaluation.
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "core/project/project.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "db/statement.h"
#include "db/store.h"
#include "db/transaction.h"

namespace sn::test {

// Adds a run named `name` to the project with `count` subnets (random archs, accuracy rising
// with MACs plus noise and `shift`, latency from MACs plus noise; a tenth unmeasured, a fifth
// predicted, epochs 1-10) and training curves (loss/largest every 10 steps, acc/test_largest
// per epoch, 100 steps an epoch, 30 s apart). `config` may differ from the project's.
inline int64_t addSubnetRun(Project& project, const std::string& name, int count, uint64_t seed,
                            double shift = 0, const nlohmann::json& config = nullptr) {
  Store& store = project.store();
  RunRecord run;
  run.name = name;
  run.space = project.config().space.name;
  run.status = RunStatus::Finished;
  run.configJson = (config.is_null() ? project.config().toJson() : config).dump();
  const int64_t runId = store.runs().create(run);
  const SearchSpace& space = project.config().space;
  const NetShape shape{1, 28, 10};
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.004);
  Transaction tx(store.db());
  for (int i = 0; i < count; ++i) {
    const Arch arch = Arch::sample(space, rng);
    const Cost cost = computeCost(space, arch, shape);
    SubnetRecord s;
    s.runId = runId;
    s.epoch = 1 + i % 10;
    s.arch = arch.toText();
    s.archHash = arch.hash();
    s.macs = cost.macs;
    s.params = cost.params;
    s.accuracy = 0.85 + shift + 0.01 * std::log(cost.macs / 1e6) + noise(rng);
    if (i % 10 != 0) s.latencyMs = 0.2 + cost.macs / 1e7 + std::abs(noise(rng)) * 20;
    s.source = i % 5 == 0   ? SubnetSource::Predicted
               : i % 7 == 0 ? SubnetSource::Searched
                            : SubnetSource::Evaluated;
    store.subnets().add(s);
  }
  std::vector<MetricSample> rows;
  for (int step = 10; step <= 1000; step += 10) {
    rows.push_back({step, step / 100.0, "loss/largest", 2.0 / (1 + step / 200.0) - shift, 1000 + 0.3 * step});
    if (step % 100 == 0) {
      rows.push_back({step, step / 100.0, "acc/test_largest", 0.9 + shift - 0.5 / step, 1000 + 0.3 * step});
    }
  }
  tx.commit();
  store.metrics().append(runId, rows);
  return runId;
}

// Adds `count` subnets to a run in SQL (a recursive CTE over 512 random archs): 200k rows
// in about a second, where addSubnetRun takes a minute. The archs repeat, as evaluations of
// the same subnet at other epochs do; accuracy rises with MACs, plus SQLite's random() noise;
// a tenth without latency, a fifth predicted, a seventh searched, epochs 1-10. Ids follow the
// run's newest, as a search storing its candidates does.
inline void appendSqlSubnets(Project& project, int64_t runId, int count, uint64_t seed) {
  Store& store = project.store();
  const SearchSpace& space = project.config().space;
  std::mt19937_64 rng(seed);
  Transaction tx(store.db());
  store.db().exec("CREATE TEMP TABLE IF NOT EXISTS fixture_archs (k INTEGER PRIMARY KEY, arch TEXT, "
                  "hash TEXT, macs INTEGER, params INTEGER, accuracy REAL); DELETE FROM fixture_archs;");
  for (int k = 0; k < 512; ++k) {
    const Arch arch = Arch::sample(space, rng);
    const Cost cost = computeCost(space, arch, NetShape{1, 28, 10});
    Statement st = store.db().prepare("INSERT INTO fixture_archs VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, int64_t{k}).bind(2, arch.toText()).bind(3, arch.hash()).bind(4, cost.macs).bind(5, cost.params);
    st.bind(6, 0.85 + 0.01 * std::log(cost.macs / 1e6));
    st.step();
  }
  Statement fill = store.db().prepare(
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
      "INSERT INTO subnets (run_id, epoch, arch, arch_hash, macs, params, accuracy, latency_ms, "
      "latency_device, source, created_at, sparse_macs) "
      "SELECT ?, 1 + i % 10, a.arch, a.hash, a.macs, a.params, "
      "a.accuracy + (random() % 4000) / 1e6, "
      "CASE WHEN i % 10 = 0 THEN NULL ELSE 0.2 + a.macs / 1e7 + abs(random() % 1000) / 1e5 END, "
      "'cpu: fixture', CASE WHEN i % 5 = 0 THEN 'predicted' WHEN i % 7 = 0 THEN 'searched' "
      "ELSE 'evaluated' END, 1000 + i, a.macs FROM n JOIN fixture_archs a ON a.k = (i * 7919) % 512");
  fill.bind(1, int64_t{count}).bind(2, runId);
  fill.step();
  tx.commit();
}

// A new finished run holding `count` subnets made by appendSqlSubnets.
inline int64_t addSqlSubnetRun(Project& project, const std::string& name, int count, uint64_t seed) {
  Store& store = project.store();
  RunRecord run;
  run.name = name;
  run.space = project.config().space.name;
  run.status = RunStatus::Finished;
  run.configJson = project.config().toJson().dump();
  const int64_t runId = store.runs().create(run);
  appendSqlSubnets(project, runId, count, seed);
  return runId;
}

// Creates a fmnist-small project at `dir` with one run holding `count` subnets (see
// addSubnetRun). Returns the run id.
inline int64_t fillSubnetProject(const std::string& dir, int count, uint64_t seed = 1) {
  Project project = Project::create(dir, "fmnist-small");
  return addSubnetRun(project, "fixture", count, seed);
}

}  // namespace sn::test
