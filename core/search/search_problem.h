#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "core/search/subnet_skyline.h"
#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "core/util/job_control.h"

namespace sn {

// One scored subnet of a search.
struct Candidate {
  Arch arch;
  double fitness = 0;    // predicted (or, in tests, known) accuracy
  int64_t macs = 0;
  int64_t params = 0;
  double latencyMs = 0;  // from the latency model; 0 without one
};

// What to search: the space, how to score a subnet, and the limits it must meet.
struct SearchProblem {
  SearchSpace space;
  NetShape shape;
  std::function<double(const Arch&)> fitness;
  // Predicted latency; required when limits.maxLatencyMs is finite.
  std::function<double(const Arch&)> latencyMs;
  CostLimits limits;
};

// A running search's job: cancel, and progress by generation (stage "search").
struct SearchControl {
  JobControl job;
  bool stopped() const { return job.cancelled(); }
};

struct SearchResult {
  std::vector<Candidate> candidates;  // best first (evolution, random) or by cost (NSGA-II)
  int64_t evaluations = 0;            // subnets scored
  bool cancelled = false;
};

// A subnet as a search mutates it: every block slot's kernel and expand, and each stage's
// depth (slots past the depth are carried along unused, as in Once-for-All, so growing a
// stage again brings back earlier genes).
struct Genome {
  std::vector<int> depths;
  std::vector<std::vector<int>> kernels;  // [stage][slot]
  std::vector<std::vector<int>> expands;
};

// The operators every search here shares: sampling, mutation and crossover that respect the
// limits, and scoring. Throws InputError when not even the smallest subnet meets the limits.
class SearchOperators {
 public:
  SearchOperators(const SearchProblem& problem, uint64_t seed);

  Genome randomFeasible();
  Genome mutate(const Genome& parent, double probability);
  Genome crossover(const Genome& a, const Genome& b);
  Candidate score(const Genome& genome);
  Arch decode(const Genome& genome) const;
  std::mt19937_64& rng() { return rng_; }
  int64_t evaluations() const { return evaluations_; }

 private:
  Genome randomGenome();
  bool feasible(const Arch& arch) const;
  // `make` until a feasible genome comes out; `fallback` after too many tries, so tight
  // limits slow a search down instead of hanging it.
  Genome firstFeasible(const std::function<Genome()>& make, const Genome& fallback);

  const SearchProblem& problem_;
  std::mt19937_64 rng_;
  Genome smallest_;
  int64_t evaluations_ = 0;
};

}  // namespace sn
