#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace sn {

class TrainingGroup;

// Once-for-All's BN settings; extracted subnets use the same.
constexpr double kBnMomentum = 0.1;
constexpr double kBnEps = 1e-5;

// Batch norm over the first C channels of the largest layer's statistics and affine
// parameters. Shared running statistics are meaningless across subnets, so evaluation
// recalibrates them for one subnet first (begin/endRecalibration: an exact cumulative mean
// over the batches seen in between).
class DynamicBatchNorm2dImpl : public torch::nn::Module {
 public:
  explicit DynamicBatchNorm2dImpl(int64_t maxChannels, double momentum = kBnMomentum,
                                  double eps = kBnEps);

  torch::Tensor forward(const torch::Tensor& x);
  void beginRecalibration();
  void endRecalibration() { recalibrated_ = -1; }

  double momentum() const { return momentum_; }
  double eps() const { return eps_; }

  torch::Tensor weight, bias, running_mean, running_var;
  // Set by useSyncBatchNorm in a distributed run: training-mode statistics over the global
  // batch. Recalibration and evaluation stay per process (each rank sees the same batches).
  TrainingGroup* sync = nullptr;

 private:
  double momentum_;
  double eps_;
  int64_t recalibrated_ = -1;  // batches seen while recalibrating; -1 when not
};
TORCH_MODULE(DynamicBatchNorm2d);

}  // namespace sn
