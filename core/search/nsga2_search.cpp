#include "core/search/nsga2_search.h"

#include <algorithm>
#include <limits>
#include <set>

namespace sn {
namespace {

struct Member {
  Genome genome;
  Candidate candidate;
  double cost = 0;
  int rank = 0;
  double crowding = 0;
};

bool dominates(const Member& a, const Member& b) {
  const double fa = a.candidate.fitness, fb = b.candidate.fitness;
  return fa >= fb && a.cost <= b.cost && (fa > fb || a.cost < b.cost);
}

// Fast non-dominated sort: fills `rank` and returns the fronts, best first.
std::vector<std::vector<size_t>> sortFronts(std::vector<Member>& pop) {
  const size_t n = pop.size();
  std::vector<std::vector<size_t>> dominated(n);
  std::vector<int> dominators(n, 0);
  std::vector<std::vector<size_t>> fronts(1);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      if (dominates(pop[i], pop[j])) {
        dominated[i].push_back(j);
      } else if (dominates(pop[j], pop[i])) {
        ++dominators[i];
      }
    }
    if (dominators[i] == 0) {
      pop[i].rank = 0;
      fronts[0].push_back(i);
    }
  }
  for (size_t f = 0; !fronts[f].empty(); ++f) {
    std::vector<size_t> next;
    for (size_t i : fronts[f]) {
      for (size_t j : dominated[i]) {
        if (--dominators[j] == 0) {
          pop[j].rank = static_cast<int>(f + 1);
          next.push_back(j);
        }
      }
    }
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

// Crowding distance within one front: boundary points are kept first, then the lonely ones.
void assignCrowding(std::vector<Member>& pop, std::vector<size_t> front) {
  for (size_t i : front) pop[i].crowding = 0;
  const auto spread = [&](auto value) {
    std::sort(front.begin(), front.end(), [&](size_t a, size_t b) { return value(a) < value(b); });
    const double range = value(front.back()) - value(front.front());
    pop[front.front()].crowding = pop[front.back()].crowding = std::numeric_limits<double>::infinity();
    if (range <= 0) return;
    for (size_t k = 1; k + 1 < front.size(); ++k) {
      pop[front[k]].crowding += (value(front[k + 1]) - value(front[k - 1])) / range;
    }
  };
  spread([&](size_t i) { return pop[i].candidate.fitness; });
  spread([&](size_t i) { return pop[i].cost; });
}

bool better(const Member& a, const Member& b) {
  return a.rank != b.rank ? a.rank < b.rank : a.crowding > b.crowding;
}

const Member& tournament(const std::vector<Member>& pop, std::mt19937_64& rng) {
  std::uniform_int_distribution<size_t> any(0, pop.size() - 1);
  const Member& a = pop[any(rng)];
  const Member& b = pop[any(rng)];
  return better(a, b) ? a : b;
}

// Keeps the best `size` of `pop` by front, then crowding within the last front admitted.
std::vector<Member> survivors(std::vector<Member> pop, size_t size) {
  std::vector<Member> next;
  for (const std::vector<size_t>& front : sortFronts(pop)) {
    assignCrowding(pop, front);
    std::vector<size_t> order = front;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return better(pop[a], pop[b]); });
    for (size_t i : order) {
      if (next.size() == size) return next;
      next.push_back(pop[i]);
    }
  }
  return next;
}

}  // namespace

SearchResult nsga2Search(const SearchProblem& problem, const EvolutionOptions& options,
                         FrontCost costKind, const SearchControl& control) {
  SearchOperators ops(problem, options.seed);
  const auto make = [&](Genome g) {
    Member m;
    m.candidate = ops.score(g);
    m.genome = std::move(g);
    m.cost = costKind == FrontCost::Macs ? static_cast<double>(m.candidate.macs)
                                         : m.candidate.latencyMs;
    return m;
  };
  std::vector<Member> pop;
  for (int i = 0; i < options.population; ++i) pop.push_back(make(ops.randomFeasible()));
  pop = survivors(std::move(pop), pop.size());  // ranks and crowding for the first tournaments
  SearchResult result;
  for (int gen = 0; gen < options.generations; ++gen) {
    if (control.stopped()) {
      result.cancelled = true;
      break;
    }
    std::vector<Member> combined = pop;
    for (int i = 0; i < options.population; ++i) {
      Genome child = ops.crossover(tournament(pop, ops.rng()).genome, tournament(pop, ops.rng()).genome);
      combined.push_back(make(ops.mutate(child, options.mutateProbability)));
    }
    pop = survivors(std::move(combined), options.population);
    control.job.report("search", gen + 1, options.generations);
  }
  std::vector<Member> firstFront;
  for (Member& m : pop) {
    if (m.rank == 0) firstFront.push_back(std::move(m));
  }
  std::sort(firstFront.begin(), firstFront.end(),
            [](const Member& a, const Member& b) { return a.cost < b.cost; });
  std::set<std::string> seen;
  for (Member& m : firstFront) {
    if (seen.insert(m.candidate.arch.toText()).second) result.candidates.push_back(std::move(m.candidate));
  }
  result.evaluations = ops.evaluations();
  return result;
}

}  // namespace sn
