#pragma once
#include <ATen/core/Tensor.h>

#include "core/space/search_space.h"

namespace sn {

at::Tensor applyActivation(const at::Tensor& x, Activation act);
// Squeeze-excite gate: relu6(x + 3) / 6.
at::Tensor hardSigmoid(const at::Tensor& x);

}  // namespace sn
