#include "core/distributed/gradient_all_reducer.h"

#include <torch/torch.h>

#include <chrono>

#include "core/distributed/training_group.h"

namespace sn {

GradientAllReducer::GradientAllReducer(TrainingGroup& group, int64_t bucketBytes)
    : group_(group), bucketBytes_(bucketBytes) {}

AllReduceStats GradientAllReducer::reduce(const std::vector<at::Tensor>& parameters,
                                          at::Tensor& control) {
  const auto started = std::chrono::steady_clock::now();
  AllReduceStats stats;
  // Every rank trained the same subnets, so every rank has the same set of defined grads.
  std::vector<at::Tensor> bucket;
  int64_t bucketBytes = 0;
  for (const at::Tensor& p : parameters) {
    const at::Tensor& grad = p.grad();
    if (!grad.defined()) continue;
    if (!bucket.empty() && bucketBytes + grad.nbytes() > static_cast<size_t>(bucketBytes_)) {
      reduceBucket(bucket, nullptr, stats);
      bucket.clear();
      bucketBytes = 0;
    }
    bucket.push_back(grad);
    bucketBytes += static_cast<int64_t>(grad.nbytes());
  }
  reduceBucket(bucket, &control, stats);
  stats.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

void GradientAllReducer::reduceBucket(const std::vector<at::Tensor>& grads, at::Tensor* control,
                                      AllReduceStats& stats) {
  std::vector<at::Tensor> flat;
  flat.reserve(grads.size() + 1);
  for (const at::Tensor& g : grads) flat.push_back(g.reshape({-1}).to(torch::kFloat32));
  if (control) flat.push_back(control->reshape({-1}).to(torch::kFloat32));
  at::Tensor buffer = torch::cat(flat);
  group_.allReduceSum(buffer);
  stats.bytes += static_cast<int64_t>(buffer.nbytes());
  ++stats.buckets;
  // The mean over ranks is the gradient of the mean loss over the global batch (equal shards).
  const double share = 1.0 / static_cast<double>(group_.worldSize());
  int64_t offset = 0;
  for (const at::Tensor& g : grads) {
    at::Tensor grad = g;  // a handle to the same storage
    grad.copy_(buffer.narrow(0, offset, g.numel()).view(g.sizes()).mul(share));
    offset += g.numel();
  }
  if (control) *control = buffer.narrow(0, offset, control->numel()).clone();
}

}  // namespace sn
