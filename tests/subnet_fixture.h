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
  run.status = "finished";
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
    s.source = i % 5 == 0 ? "predicted" : i % 7 == 0 ? "searched" : "evaluated";
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

// Creates a fmnist-small project at `dir` with one run holding `count` subnets (see
// addSubnetRun). Returns the run id.
inline int64_t fillSubnetProject(const std::string& dir, int count, uint64_t seed = 1) {
  Project project = Project::create(dir, "fmnist-small");
  return addSubnetRun(project, "fixture", count, seed);
}

}  // namespace sn::test
