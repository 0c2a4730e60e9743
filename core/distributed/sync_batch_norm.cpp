#include "core/distributed/sync_batch_norm.h"

#include <torch/torch.h>

#include "core/distributed/training_group.h"
#include "core/supernet/dynamic_batch_norm.h"

namespace sn {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// y = sum over ranks of x, on every rank. Its gradient is again the sum over ranks: y feeds
// every rank's loss, so d(sum of losses)/dx is the sum of each rank's dL/dy.
struct AllReduceSum : torch::autograd::Function<AllReduceSum> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, TrainingGroup* group) {
    // saved_data holds IValues; the group outlives every graph it is used in.
    ctx->saved_data["group"] = reinterpret_cast<int64_t>(group);
    at::Tensor y = x.clone();
    group->allReduceSum(y);
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto* group = reinterpret_cast<TrainingGroup*>(ctx->saved_data["group"].toInt());
    at::Tensor g = grads[0].contiguous().clone();
    group->allReduceSum(g);
    return {g, at::Tensor()};
  }
};

}  // namespace

at::Tensor syncBatchNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         at::Tensor runningMean, at::Tensor runningVar, double momentum, double eps,
                         TrainingGroup& group) {
  const int64_t c = x.size(1);
  const at::Tensor xf = x.to(torch::kFloat32);  // statistics in fp32 under bf16 autocast too
  // Sums of x - K with K the running mean (the same on every rank: it is updated from the
  // global statistics): E[(x-K)^2] - E[x-K]^2 loses little to cancellation when K is near the
  // mean, unlike E[x^2] - E[x]^2. K is a constant, so the gradient is unchanged.
  //
  // The sums are in double, as torch's CPU batch norm accumulates float statistics: a channel
  // whose variance is far below eps (a near-constant input) turns an absolute error in the
  // variance into a relative one in its normalised output of error / eps.
  const at::Tensor shift = runningMean.detach().clone();
  const at::Tensor xs = (xf - shift.view({1, c, 1, 1})).to(torch::kFloat64);
  //
  // Every rank holds an equal shard of the global batch (the Trainer splits it so), so the
  // global count is known here: no count in the collective, and no read of it back from the
  // device, which on CUDA would wait for the GPU once per layer.
  const double n = static_cast<double>(x.numel() / c) * group.worldSize();
  const at::Tensor local = torch::cat({xs.sum({0, 2, 3}), xs.square().sum({0, 2, 3})});
  const at::Tensor global = AllReduceSum::apply(local, &group);
  const at::Tensor shiftedMean = global.narrow(0, 0, c) / n;
  const at::Tensor var =
      (global.narrow(0, c, c) / n - shiftedMean.square()).clamp_min(0).to(torch::kFloat32);
  const at::Tensor mean = shiftedMean.to(torch::kFloat32) + shift;
  {
    torch::NoGradGuard noGrad;
    runningMean.mul_(1 - momentum).add_(mean.detach() * momentum);
    // Running variance is unbiased, as torch::batch_norm keeps it.
    runningVar.mul_(1 - momentum).add_(var.detach() * (momentum * n / std::max(n - 1, 1.0)));
  }
  const at::Tensor scale = (var + eps).rsqrt() * weight;
  const at::Tensor y =
      (xf - mean.view({1, c, 1, 1})) * scale.view({1, c, 1, 1}) + bias.view({1, c, 1, 1});
  return y.to(x.scalar_type());
}

void useSyncBatchNorm(torch::nn::Module& net, TrainingGroup* group) {
  for (const auto& m : net.modules(/*include_self=*/true)) {
    if (auto* bn = dynamic_cast<DynamicBatchNorm2dImpl*>(m.get())) bn->sync = group;
  }
}

}  // namespace sn
