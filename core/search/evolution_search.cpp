#include "core/search/evolution_search.h"

#include <algorithm>
#include <set>

namespace sn {
namespace {

struct Member {
  Genome genome;
  Candidate candidate;
};

bool fitter(const Member& a, const Member& b) { return a.candidate.fitness > b.candidate.fitness; }

size_t randomIndex(size_t n, std::mt19937_64& rng) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

size_t parentCount(const EvolutionOptions& o) {
  return std::max<size_t>(1, static_cast<size_t>(o.population * o.parentRatio));
}

}  // namespace

int64_t evolutionEvaluations(const EvolutionOptions& o) {
  const int64_t perGeneration = o.population - static_cast<int64_t>(parentCount(o));
  return o.population + static_cast<int64_t>(o.generations) * perGeneration;
}

std::vector<Candidate> bestDistinct(std::vector<Candidate> pool, int keep) {
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Candidate& a, const Candidate& b) { return a.fitness > b.fitness; });
  std::vector<Candidate> best;
  std::set<std::string> seen;
  for (Candidate& c : pool) {
    if (static_cast<int>(best.size()) >= keep) break;
    if (seen.insert(c.arch.toText()).second) best.push_back(std::move(c));
  }
  return best;
}

SearchResult evolutionSearch(const SearchProblem& problem, const EvolutionOptions& options,
                             const SearchControl& control) {
  SearchOperators ops(problem, options.seed);
  std::vector<Member> population;
  for (int i = 0; i < options.population; ++i) {
    Genome g = ops.randomFeasible();
    Candidate c = ops.score(g);
    population.push_back({std::move(g), std::move(c)});
  }
  const size_t parents = parentCount(options);
  const size_t mutants = options.population * options.mutationRatio;
  SearchResult result;
  for (int gen = 0; gen < options.generations; ++gen) {
    if (control.stopped()) {
      result.cancelled = true;
      break;
    }
    std::partial_sort(population.begin(), population.begin() + parents, population.end(), fitter);
    population.resize(parents);
    for (size_t i = 0; i < mutants; ++i) {
      Genome g = ops.mutate(population[randomIndex(parents, ops.rng())].genome,
                            options.mutateProbability);
      Candidate c = ops.score(g);
      population.push_back({std::move(g), std::move(c)});
    }
    while (population.size() < static_cast<size_t>(options.population)) {
      Genome g = ops.crossover(population[randomIndex(parents, ops.rng())].genome,
                               population[randomIndex(parents, ops.rng())].genome);
      Candidate c = ops.score(g);
      population.push_back({std::move(g), std::move(c)});
    }
    control.job.report("search", gen + 1, options.generations);
  }
  std::vector<Candidate> pool;
  for (Member& m : population) pool.push_back(std::move(m.candidate));
  result.candidates = bestDistinct(std::move(pool), options.keep);
  result.evaluations = ops.evaluations();
  return result;
}

SearchResult randomSearch(const SearchProblem& problem, int64_t evaluations, int keep,
                          uint64_t seed, const SearchControl& control) {
  SearchOperators ops(problem, seed);
  std::vector<Candidate> best;
  SearchResult result;
  for (int64_t i = 0; i < evaluations; ++i) {
    if (control.stopped()) {
      result.cancelled = true;
      break;
    }
    best.push_back(ops.score(ops.randomFeasible()));
    // Keep the pool small: only the best `keep` distinct ones can be returned.
    if (best.size() >= static_cast<size_t>(4 * keep + 64)) best = bestDistinct(std::move(best), keep);
  }
  result.candidates = bestDistinct(std::move(best), keep);
  result.evaluations = ops.evaluations();
  return result;
}

}  // namespace sn
