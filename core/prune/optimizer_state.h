#pragma once
#include <ATen/core/Tensor.h>

namespace torch::optim {
class Optimizer;
}

namespace sn {

// Zeroes the optimizer's per-parameter state (SGD momentum; AdamW's moments) of `param`
// where `where` is true, so weights that pruning zeroes or removes do not move on from
// the momentum they had. A parameter without state yet is left alone.
void zeroOptimizerState(torch::optim::Optimizer& optimizer, const at::Tensor& param,
                        const at::Tensor& where);

}  // namespace sn
