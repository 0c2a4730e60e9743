#pragma once

namespace sn {

struct TrainRecipe;

// Sandwich-equivalent passes a step of the recipe's method costs on average over a run (a
// forward and backward count 1, a forward alone 1/3), from its definition: what a sweep sizes
// equal budgets with. The runs' budget/passes_per_step rows measure what was spent.
double expectedPassesPerStep(const TrainRecipe& recipe);

}  // namespace sn
