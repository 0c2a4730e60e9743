#pragma once
#include <ATen/core/Tensor.h>

namespace torch::nn {
class Module;
}

namespace sn {

class TrainingGroup;

// Batch norm in training mode over the global batch: the per-channel sums and sums of
// squares of every rank are all-reduced (one collective per layer per forward, and one per
// backward), so normalisation and the running statistics are those a single process would
// compute over the whole global batch. The backward all-reduces the statistics' gradients:
// each rank's share of the global mean and variance feeds every rank's loss. Every rank's `x`
// must have the same shape (equal shards of the global batch, as the Trainer gives them).
at::Tensor syncBatchNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         at::Tensor runningMean, at::Tensor runningVar, double momentum, double eps,
                         TrainingGroup& group);

// Points every DynamicBatchNorm2d of `net` at `group` (nullptr: per-rank statistics again).
void useSyncBatchNorm(torch::nn::Module& net, TrainingGroup* group);

}  // namespace sn
