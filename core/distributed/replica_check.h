#pragma once
#include <cstdint>

namespace torch::nn {
class Module;
}

namespace sn {

class TrainingGroup;

// A 64-bit FNV-1a digest of the bytes of every parameter (and buffer, with `buffers`):
// equal digests on two ranks mean bitwise-equal replicas, barring a hash collision.
uint64_t replicaDigest(const torch::nn::Module& net, bool buffers);

// Compares this rank's digest with every other rank's (one small collective) and throws
// std::runtime_error naming the step and the first rank that differs from rank 0.
void requireIdenticalReplicas(TrainingGroup& group, const torch::nn::Module& net, bool buffers,
                              int64_t step);

}  // namespace sn
