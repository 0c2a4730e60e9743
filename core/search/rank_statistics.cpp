#include "core/search/rank_statistics.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace sn {

double kendallTau(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("kendallTau: samples differ in size");
  // O(n^2) is fine for the few thousand held-out subnets this is used on.
  double concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = i + 1; j < a.size(); ++j) {
      const double da = a[i] - a[j];
      const double db = b[i] - b[j];
      if (da == 0 && db == 0) continue;
      if (da == 0) {
        tiesA += 1;
      } else if (db == 0) {
        tiesB += 1;
      } else if ((da > 0) == (db > 0)) {
        concordant += 1;
      } else {
        discordant += 1;
      }
    }
  }
  const double denominator =
      std::sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denominator > 0 ? (concordant - discordant) / denominator : 0.0;
}

TauInterval kendallTauInterval(const std::vector<double>& a, const std::vector<double>& b,
                               int resamples, uint64_t seed) {
  TauInterval t;
  t.tau = t.low = t.high = kendallTau(a, b);
  if (a.size() < 3 || resamples < 2) return t;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, a.size() - 1);
  std::vector<double> taus, ra(a.size()), rb(b.size());
  for (int r = 0; r < resamples; ++r) {
    for (size_t i = 0; i < a.size(); ++i) {
      const size_t k = pick(rng);
      ra[i] = a[k];
      rb[i] = b[k];
    }
    taus.push_back(kendallTau(ra, rb));
  }
  std::sort(taus.begin(), taus.end());
  const auto at = [&](double q) {
    return taus[std::min(taus.size() - 1, static_cast<size_t>(q * static_cast<double>(taus.size())))];
  };
  t.low = at(0.025);
  t.high = at(0.975);
  return t;
}

double rootMeanSquaredError(const std::vector<double>& predicted, const std::vector<double>& actual) {
  if (predicted.size() != actual.size() || predicted.empty()) {
    throw std::invalid_argument("rootMeanSquaredError: samples differ in size or are empty");
  }
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    sum += (predicted[i] - actual[i]) * (predicted[i] - actual[i]);
  }
  return std::sqrt(sum / static_cast<double>(predicted.size()));
}

}  // namespace sn
