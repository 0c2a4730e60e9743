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

// Creates a fmnist-small project at `dir` with one run holding `count` subnets (random
// archs, accuracy rising with MACs plus noise, latency from MACs plus noise; a tenth
// unmeasured, a fifth predicted). Returns the run id.
inline int64_t fillSubnetProject(const std::string& dir, int count, uint64_t seed = 1) {
  Project project = Project::create(dir, "fmnist-small");
  Store& store = project.store();
  RunRecord run;
  run.name = "fixture";
  run.space = project.config().space.name;
  run.configJson = project.config().toJson().dump();
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
    s.accuracy = 0.85 + 0.01 * std::log(cost.macs / 1e6) + noise(rng);
    if (i % 10 != 0) s.latencyMs = 0.2 + cost.macs / 1e7 + std::abs(noise(rng)) * 20;
    s.source = i % 5 == 0 ? "predicted" : i % 7 == 0 ? "searched" : "evaluated";
    store.subnets().add(s);
  }
  tx.commit();
  return runId;
}

}  // namespace sn::test
