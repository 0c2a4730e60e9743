#include "core/search/ridge_regression.h"

#include <cmath>
#include <stdexcept>

namespace sn {
namespace {

using Matrix = std::vector<std::vector<double>>;

// Solves A x = b for symmetric positive definite A (Cholesky; the ridge term keeps A
// positive definite).
std::vector<double> solveSpd(Matrix a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (size_t k = 0; k < j; ++k) d -= a[j][k] * a[j][k];
    if (d <= 0) throw std::runtime_error("RidgeRegression: system is not positive definite");
    a[j][j] = std::sqrt(d);
    for (size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (size_t k = 0; k < j; ++k) s -= a[i][k] * a[j][k];
      a[i][j] = s / a[j][j];
    }
  }
  for (size_t i = 0; i < n; ++i) {  // L y = b
    for (size_t k = 0; k < i; ++k) b[i] -= a[i][k] * b[k];
    b[i] /= a[i][i];
  }
  for (size_t i = n; i-- > 0;) {  // L^T x = y
    for (size_t k = i + 1; k < n; ++k) b[i] -= a[k][i] * b[k];
    b[i] /= a[i][i];
  }
  return b;
}

}  // namespace

RidgeRegression RidgeRegression::fit(const Matrix& rows, const std::vector<double>& targets,
                                     double lambda) {
  if (rows.empty() || rows.size() != targets.size()) {
    throw std::invalid_argument("RidgeRegression: no samples, or targets differ in count");
  }
  const size_t d = rows.front().size();
  const double n = static_cast<double>(rows.size());
  // Centre features and targets so the intercept is not penalised.
  std::vector<double> mean(d, 0.0);
  double meanY = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != d) throw std::invalid_argument("RidgeRegression: ragged rows");
    for (size_t j = 0; j < d; ++j) mean[j] += rows[i][j] / n;
    meanY += targets[i] / n;
  }
  Matrix gram(d, std::vector<double>(d, 0.0));
  std::vector<double> xty(d, 0.0);
  std::vector<double> centred(d);
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < d; ++j) centred[j] = rows[i][j] - mean[j];
    const double y = targets[i] - meanY;
    for (size_t j = 0; j < d; ++j) {
      if (centred[j] == 0) continue;
      xty[j] += centred[j] * y;
      for (size_t k = 0; k <= j; ++k) gram[j][k] += centred[j] * centred[k];
    }
  }
  for (size_t j = 0; j < d; ++j) {
    for (size_t k = 0; k < j; ++k) gram[k][j] = gram[j][k];
    gram[j][j] += lambda;
  }
  RidgeRegression model;
  model.weights_ = solveSpd(gram, xty);
  model.intercept_ = meanY;
  for (size_t j = 0; j < d; ++j) model.intercept_ -= model.weights_[j] * mean[j];
  return model;
}

double RidgeRegression::predict(const std::vector<double>& row) const {
  double y = intercept_;
  for (size_t j = 0; j < weights_.size(); ++j) y += weights_[j] * row[j];
  return y;
}

}  // namespace sn
