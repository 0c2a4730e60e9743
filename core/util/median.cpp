#include "core/util/median.h"

#include <algorithm>

namespace sn {

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t n = values.size();
  std::nth_element(values.begin(), values.begin() + n / 2, values.end());
  const double upper = values[n / 2];
  if (n % 2) return upper;
  return (*std::max_element(values.begin(), values.begin() + n / 2) + upper) / 2;
}

}  // namespace sn
