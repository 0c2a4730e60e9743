#pragma once
#include <cstdint>

#include "core/search/search_problem.h"

namespace sn {

// Once-for-All's evolutionary search, with its defaults.
struct EvolutionOptions {
  int population = 100;
  int generations = 500;
  double parentRatio = 0.25;    // the best quarter survives each generation
  double mutationRatio = 0.5;   // half the next generation are mutants, the rest crossovers
  double mutateProbability = 0.1;
  int keep = 10;                // candidates returned, best first, distinct archs
  uint64_t seed = 1;
};

// Maximises the problem's fitness among the subnets that meet its limits.
SearchResult evolutionSearch(const SearchProblem& problem, const EvolutionOptions& options,
                             const SearchControl& control = {});

// How many subnets evolutionSearch scores with these options (random search's budget for a
// fair comparison).
int64_t evolutionEvaluations(const EvolutionOptions& options);

// The baseline: `evaluations` random subnets within the limits, the best `keep` returned.
SearchResult randomSearch(const SearchProblem& problem, int64_t evaluations, int keep,
                          uint64_t seed, const SearchControl& control = {});

// The best `keep` distinct archs of `pool`, best first.
std::vector<Candidate> bestDistinct(std::vector<Candidate> pool, int keep);

}  // namespace sn
