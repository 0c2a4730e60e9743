#pragma once
#include <vector>

namespace sn {

// Linear least squares with an L2 penalty on the weights (not on the intercept), solved in
// closed form: small dense systems (a few hundred features), so no library is needed.
class RidgeRegression {
 public:
  // rows: n samples of `features` values each. Throws std::invalid_argument on empty or
  // ragged input.
  static RidgeRegression fit(const std::vector<std::vector<double>>& rows,
                             const std::vector<double>& targets, double lambda);

  double predict(const std::vector<double>& row) const;
  double intercept() const { return intercept_; }
  const std::vector<double>& weights() const { return weights_; }

 private:
  double intercept_ = 0;
  std::vector<double> weights_;
};

}  // namespace sn
