#pragma once
#include "core/search/evolution_search.h"

namespace sn {

enum class FrontCost { Macs, Latency };

// NSGA-II (Deb et al. 2002) over two objectives, maximise fitness and minimise MACs or
// latency, within the problem's limits: the whole accuracy/cost front in one search.
// Candidates: the final first front, distinct archs, by ascending cost. Uses population,
// generations, mutateProbability and seed of `options`.
SearchResult nsga2Search(const SearchProblem& problem, const EvolutionOptions& options,
                         FrontCost cost, const SearchControl& control = {});

}  // namespace sn
