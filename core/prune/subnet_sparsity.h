#pragma once
#include <cstdint>
#include <vector>

namespace sn {

class SupernetImpl;
class DynamicConv2dImpl;
struct Arch;

// One prunable conv as a subnet uses it: its slice of the shared weight and the side of
// its output map (each weight costs side x side MACs per image).
struct ActiveConv {
  DynamicConv2dImpl* conv = nullptr;
  int64_t in = 0;
  int64_t out = 0;
  int64_t kernel = 1;
  int side = 1;
};

// How pruned a subnet is: over the block convs it uses (the prunable weights), the share
// that is zero, and its MACs with all weights (the cost model's) and with the non-zero ones.
struct SubnetSparsity {
  int64_t weights = 0;  // prunable weights the subnet uses
  int64_t zeros = 0;
  int64_t denseMacs = 0;
  int64_t sparseMacs = 0;
  double sparsity() const { return weights ? static_cast<double>(zeros) / static_cast<double>(weights) : 0.0; }
};

// The block convs (expand, depthwise, project) of `arch`, in forward order.
std::vector<ActiveConv> activeConvs(SupernetImpl& net, const Arch& arch);

// Zeros are counted in the weights as the subnet sees them (masks applied).
SubnetSparsity subnetSparsity(SupernetImpl& net, const Arch& arch);

// One-shot magnitude pruning of one subnet (the dense-then-prune baseline): masks exactly
// round(sparsity x N) of the N weights `arch` uses, the smallest |w| over all its block
// convs; weights outside its slices are untouched. Enables the masks if needed.
void oneShotPrune(SupernetImpl& net, const Arch& arch, double sparsity);

}  // namespace sn
