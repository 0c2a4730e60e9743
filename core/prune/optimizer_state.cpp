#include "core/prune/optimizer_state.h"

#include <torch/torch.h>

namespace sn {

void zeroOptimizerState(torch::optim::Optimizer& optimizer, const at::Tensor& param,
                        const at::Tensor& where) {
  auto& state = optimizer.state();
  // LibTorch keys per-parameter state by the address of its TensorImpl.
  const auto found = state.find(c10::guts::to_string(param.unsafeGetTensorImpl()));
  if (found == state.end()) return;
  torch::NoGradGuard noGrad;
  if (auto* sgd = dynamic_cast<torch::optim::SGDParamState*>(found->second.get())) {
    if (sgd->momentum_buffer().defined()) sgd->momentum_buffer().masked_fill_(where, 0);
  } else if (auto* adam = dynamic_cast<torch::optim::AdamWParamState*>(found->second.get())) {
    if (adam->exp_avg().defined()) adam->exp_avg().masked_fill_(where, 0);
    if (adam->exp_avg_sq().defined()) adam->exp_avg_sq().masked_fill_(where, 0);
  }
}

}  // namespace sn
