#include "core/supernet/dynamic_batch_norm.h"

#include "core/distributed/sync_batch_norm.h"

namespace sn {
namespace {

torch::Tensor first(const torch::Tensor& t, int64_t n) {
  return n == t.size(0) ? t : t.narrow(0, 0, n);
}

}  // namespace

DynamicBatchNorm2dImpl::DynamicBatchNorm2dImpl(int64_t maxChannels, double momentum, double eps)
    : momentum_(momentum), eps_(eps) {
  weight = register_parameter("weight", torch::ones({maxChannels}));
  bias = register_parameter("bias", torch::zeros({maxChannels}));
  running_mean = register_buffer("running_mean", torch::zeros({maxChannels}));
  running_var = register_buffer("running_var", torch::ones({maxChannels}));
}

void DynamicBatchNorm2dImpl::beginRecalibration() {
  torch::NoGradGuard noGrad;
  running_mean.zero_();
  running_var.fill_(1.0);
  recalibrated_ = 0;
}

torch::Tensor DynamicBatchNorm2dImpl::forward(const torch::Tensor& x) {
  const int64_t c = x.size(1);
  if (sync && is_training() && recalibrated_ < 0) {
    return syncBatchNorm(x, first(weight, c), first(bias, c), first(running_mean, c),
                         first(running_var, c), momentum_, eps_, *sync);
  }
  double momentum = momentum_;
  if (recalibrated_ >= 0) {
    // 1 / (n + 1) turns the running update into the plain mean over all batches.
    momentum = 1.0 / static_cast<double>(++recalibrated_);
  }
  // The narrowed running stats are views: batch_norm's in-place update reaches the buffers.
  return torch::batch_norm(x, first(weight, c), first(bias, c), first(running_mean, c),
                           first(running_var, c), is_training(), momentum, eps_,
                           /*cudnn_enabled=*/true);
}

}  // namespace sn
