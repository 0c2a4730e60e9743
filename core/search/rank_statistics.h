#pragma once
#include <cstdint>
#include <vector>

namespace sn {

// Kendall's tau-b between two equally long samples (ties on either side count as neither
// concordant nor discordant, and shrink the denominator). 0 for fewer than two pairs.
double kendallTau(const std::vector<double>& a, const std::vector<double>& b);
// Kendall's tau with a 95% percentile-bootstrap interval (`resamples` resamples of the
// pairs, seeded): how much the figure would move on another draw of as many subnets.
struct TauInterval {
  double tau = 0;
  double low = 0;
  double high = 0;
};
TauInterval kendallTauInterval(const std::vector<double>& a, const std::vector<double>& b,
                               int resamples, uint64_t seed);
// The resamples every reported interval uses: enough for a stable 2.5/97.5 percentile.
constexpr int kTauBootstrapResamples = 300;
// Root mean squared difference.
double rootMeanSquaredError(const std::vector<double>& predicted, const std::vector<double>& actual);

}  // namespace sn
