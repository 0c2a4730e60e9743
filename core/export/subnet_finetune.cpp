#include "core/export/subnet_finetune.h"

#include <torch/torch.h>

#include <cmath>

#include "core/supernet/static_subnet.h"
#include "core/util/cancelled.h"

namespace sn {
namespace {

// Conv weights with pruned (zero) entries and the masks that keep them zero.
std::vector<std::pair<torch::Tensor, torch::Tensor>> pruningMasks(StaticSubnetImpl& subnet) {
  std::vector<std::pair<torch::Tensor, torch::Tensor>> masks;
  for (auto& p : subnet.named_parameters()) {
    const torch::Tensor& w = p.value();
    if (w.dim() < 2) continue;
    torch::Tensor mask = w.ne(0).to(w.dtype());
    if (mask.min().item<float>() == 0.0f) masks.emplace_back(w, mask);
  }
  return masks;
}

}  // namespace

void fineTuneSubnet(StaticSubnetImpl& subnet, const BatchLoader& train, const FineTuneOptions& o) {
  const auto masks = pruningMasks(subnet);
  torch::optim::SGD optimizer(subnet.parameters(),
                              torch::optim::SGDOptions(o.lr).momentum(0.9).nesterov(true));
  const int64_t samples = train.data().size();
  const int64_t perEpoch = std::max<int64_t>(1, samples / o.batchSize);
  const int64_t steps = perEpoch * o.epochs;
  subnet.train();
  torch::manual_seed(o.seed);
  int64_t step = 0;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    const torch::Tensor order = BatchLoader::epochOrder(samples, o.seed, epoch);
    for (int64_t i = 0; i < perEpoch; ++i, ++step) {
      if (o.job.cancelled()) {
        subnet.eval();
        throw Cancelled();
      }
      const double lr = 0.5 * o.lr * (1 + std::cos(M_PI * static_cast<double>(step) / static_cast<double>(steps)));
      for (auto& group : optimizer.param_groups()) static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
      const Batch b = train.get(order.narrow(0, i * o.batchSize, std::min(o.batchSize, samples)), o.augment);
      optimizer.zero_grad();
      torch::nn::functional::cross_entropy(subnet.forward(b.images), b.labels).backward();
      optimizer.step();
      torch::NoGradGuard noGrad;
      for (auto& [weight, mask] : masks) weight.mul_(mask);
      o.job.report("fine-tune", step + 1, steps);
    }
  }
  subnet.eval();
}

}  // namespace sn
