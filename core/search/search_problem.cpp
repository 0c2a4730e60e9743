#include "core/search/search_problem.h"

#include <cmath>
#include <sstream>

#include "core/space/cost_model.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

constexpr int kMaxTries = 200;

int pick(const std::vector<int>& choices, std::mt19937_64& rng) {
  return choices[std::uniform_int_distribution<size_t>(0, choices.size() - 1)(rng)];
}

std::string describe(const CostLimits& limits) {
  std::ostringstream out;
  if (std::isfinite(limits.maxMacs)) out << " MACs <= " << limits.maxMacs / 1e6 << "M";
  if (std::isfinite(limits.maxParams)) out << " params <= " << limits.maxParams / 1e6 << "M";
  if (std::isfinite(limits.maxLatencyMs)) out << " latency <= " << limits.maxLatencyMs << " ms";
  return out.str();
}

}  // namespace

SearchOperators::SearchOperators(const SearchProblem& problem, uint64_t seed)
    : problem_(problem), rng_(seed) {
  if (!problem.fitness) throw std::invalid_argument("SearchProblem needs a fitness function");
  if (std::isfinite(problem.limits.maxLatencyMs) && !problem.latencyMs) {
    throw std::invalid_argument("SearchProblem has a latency limit but no latency model");
  }
  const SearchSpace& space = problem.space;
  for (int s = 0; s < space.stageCount(); ++s) {
    smallest_.depths.push_back(space.depths.front());
    smallest_.kernels.emplace_back(space.maxDepth(), space.kernels.front());
    smallest_.expands.emplace_back(space.maxDepth(), space.expands.front());
  }
  if (!feasible(decode(smallest_))) {
    const Cost c = computeCost(space, decode(smallest_), problem.shape);
    std::ostringstream out;
    out << "no subnet of " << space.name << " meets the limits (" << describe(problem.limits)
        << " ): even the smallest has " << c.macs / 1e6 << "M MACs, " << c.params / 1e6
        << "M params";
    if (problem.latencyMs) out << ", " << problem.latencyMs(decode(smallest_)) << " ms";
    throw InputError(out.str());
  }
}

Arch SearchOperators::decode(const Genome& g) const {
  Arch arch;
  for (size_t s = 0; s < g.depths.size(); ++s) {
    StageArch st;
    st.kernels.assign(g.kernels[s].begin(), g.kernels[s].begin() + g.depths[s]);
    st.expands.assign(g.expands[s].begin(), g.expands[s].begin() + g.depths[s]);
    arch.stages.push_back(std::move(st));
  }
  return arch;
}

bool SearchOperators::feasible(const Arch& arch) const {
  const CostLimits& limits = problem_.limits;
  const Cost c = computeCost(problem_.space, arch, problem_.shape);
  if (c.macs > limits.maxMacs || c.params > limits.maxParams) return false;
  return !std::isfinite(limits.maxLatencyMs) || problem_.latencyMs(arch) <= limits.maxLatencyMs;
}

Genome SearchOperators::randomGenome() {
  const SearchSpace& space = problem_.space;
  Genome g;
  for (int s = 0; s < space.stageCount(); ++s) {
    g.depths.push_back(pick(space.depths, rng_));
    g.kernels.emplace_back();
    g.expands.emplace_back();
    for (int b = 0; b < space.maxDepth(); ++b) {
      g.kernels.back().push_back(pick(space.kernels, rng_));
      g.expands.back().push_back(pick(space.expands, rng_));
    }
  }
  return g;
}

Genome SearchOperators::firstFeasible(const std::function<Genome()>& make, const Genome& fallback) {
  for (int i = 0; i < kMaxTries; ++i) {
    Genome g = make();
    if (feasible(decode(g))) return g;
  }
  return fallback;
}

Genome SearchOperators::randomFeasible() {
  return firstFeasible([this] { return randomGenome(); }, smallest_);
}

Genome SearchOperators::mutate(const Genome& parent, double probability) {
  const SearchSpace& space = problem_.space;
  std::bernoulli_distribution hit(probability);
  return firstFeasible(
      [&] {
        Genome g = parent;
        for (size_t s = 0; s < g.depths.size(); ++s) {
          if (hit(rng_)) g.depths[s] = pick(space.depths, rng_);
          for (size_t b = 0; b < g.kernels[s].size(); ++b) {
            if (hit(rng_)) g.kernels[s][b] = pick(space.kernels, rng_);
            if (hit(rng_)) g.expands[s][b] = pick(space.expands, rng_);
          }
        }
        return g;
      },
      parent);
}

Genome SearchOperators::crossover(const Genome& a, const Genome& b) {
  std::bernoulli_distribution fromA(0.5);
  return firstFeasible(
      [&] {
        Genome g = a;
        for (size_t s = 0; s < g.depths.size(); ++s) {
          if (!fromA(rng_)) g.depths[s] = b.depths[s];
          for (size_t i = 0; i < g.kernels[s].size(); ++i) {
            if (!fromA(rng_)) g.kernels[s][i] = b.kernels[s][i];
            if (!fromA(rng_)) g.expands[s][i] = b.expands[s][i];
          }
        }
        return g;
      },
      a);
}

Candidate SearchOperators::score(const Genome& genome) {
  Candidate c;
  c.arch = decode(genome);
  const Cost cost = computeCost(problem_.space, c.arch, problem_.shape);
  c.macs = cost.macs;
  c.params = cost.params;
  if (problem_.latencyMs) c.latencyMs = problem_.latencyMs(c.arch);
  c.fitness = problem_.fitness(c.arch);
  ++evaluations_;
  return c;
}

}  // namespace sn
