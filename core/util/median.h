#pragma once
#include <vector>

namespace sn {

// The median (the mean of the middle two for an even count); 0 for none.
double median(std::vector<double> values);

}  // namespace sn
