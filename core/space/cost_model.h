#pragma once
#include <cstdint>

namespace sn {

struct Arch;
struct NetShape;
struct SearchSpace;

struct Cost {
  int64_t macs = 0;    // multiply-accumulates at batch 1 (convs and linears only)
  int64_t params = 0;  // trainable parameters of the extracted subnet
};

// Exact MACs and parameters of a subnet, computed from the space alone without running it.
// Once-for-All's counting convention: a conv costs in/groups x k x k x output elements, a
// linear in x out; biases, BN and activations cost no MACs. Parameters count weights,
// biases and BN scale/shift, not running statistics.
Cost computeCost(const SearchSpace& space, const Arch& arch, const NetShape& shape);

// Spatial size after a same-padded conv with an odd kernel.
inline int convOutputSize(int size, int stride) { return (size - 1) / stride + 1; }

}  // namespace sn
