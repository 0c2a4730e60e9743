#include "core/distributed/replica_check.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "core/distributed/training_group.h"

namespace sn {
namespace {

void fnv1a(uint64_t& h, const at::Tensor& t) {
  const at::Tensor bytes = t.detach().to(torch::kCPU).contiguous();
  const auto* p = static_cast<const unsigned char*>(bytes.data_ptr());
  for (size_t i = 0; i < bytes.nbytes(); ++i) {
    h ^= p[i];
    h *= 0x100000001B3ULL;
  }
}

}  // namespace

uint64_t replicaDigest(const torch::nn::Module& net, bool buffers) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (const at::Tensor& p : net.parameters()) fnv1a(h, p);
  if (buffers) {
    for (const at::Tensor& b : net.buffers()) fnv1a(h, b);
  }
  return h;
}

void requireIdenticalReplicas(TrainingGroup& group, const torch::nn::Module& net, bool buffers,
                              int64_t step) {
  // Each rank fills its own slot; the sum of zeros and one value is exact in int64.
  const auto params = net.parameters();
  const c10::Device device = params.empty() ? c10::Device(c10::kCPU) : params[0].device();
  at::Tensor digests =
      torch::zeros({group.worldSize()}, torch::dtype(torch::kInt64).device(device));
  digests[group.rank()] = static_cast<int64_t>(replicaDigest(net, buffers));
  group.allReduceSum(digests);
  digests = digests.to(torch::kCPU);
  const auto d = digests.accessor<int64_t, 1>();
  for (int r = 1; r < group.worldSize(); ++r) {
    if (d[r] != d[0]) {
      throw std::runtime_error("replicas diverged after step " + std::to_string(step) + ": rank " +
                               std::to_string(r) + "'s parameters differ from rank 0's");
    }
  }
}

}  // namespace sn
