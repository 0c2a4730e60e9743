#include "core/train/grad_clip.h"

#include <torch/torch.h>

namespace sn {

at::Tensor clipGradNorm(const std::vector<at::Tensor>& parameters, double maxNorm) {
  std::vector<at::Tensor> grads;
  for (const auto& p : parameters) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) return torch::zeros({});
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  for (const auto& g : grads) norms.push_back(g.detach().norm(2));
  const at::Tensor total = norms.size() == 1 ? norms[0] : torch::stack(norms).norm(2);
  // A scale of at most 1, computed on the device: no branch on the norm's value.
  const at::Tensor scale = torch::clamp(maxNorm / (total + 1e-6), c10::nullopt, 1.0);
  for (auto& g : grads) g.detach().mul_(scale);
  return total;
}

}  // namespace sn
