#pragma once
#include <vector>

namespace sn {

// Kendall's tau-b between two equally long samples (ties on either side count as neither
// concordant nor discordant, and shrink the denominator). 0 for fewer than two pairs.
double kendallTau(const std::vector<double>& a, const std::vector<double>& b);
// Root mean squared difference.
double rootMeanSquaredError(const std::vector<double>& predicted, const std::vector<double>& actual);

}  // namespace sn
