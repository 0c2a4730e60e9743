#include "core/prune/subnet_sparsity.h"

#include <torch/torch.h>

#include <cmath>

#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/supernet/supernet.h"

namespace sn {
namespace {

void addBlock(std::vector<ActiveConv>& out, DynamicMBConvImpl& block, int kernel, int expand, int& side) {
  const MBConvSpec& s = block.spec();
  const int64_t middle = s.middle(expand);
  if (s.expandConv) out.push_back({block.expandConv.get(), s.in, middle, 1, side});
  side = convOutputSize(side, s.stride);
  out.push_back({block.depthConv.get(), middle, middle, kernel, side});
  out.push_back({block.projectConv.get(), middle, s.out, 1, side});
}

// The slice of `t` (weight- or mask-shaped) that `c` uses.
at::Tensor sliceOf(const at::Tensor& t, const ActiveConv& c) {
  const bool depthwise = c.conv->depthwise();
  at::Tensor s = t.narrow(0, 0, c.out).narrow(1, 0, depthwise ? 1 : c.in);
  const int64_t offset = (t.size(2) - c.kernel) / 2;
  return s.narrow(2, offset, c.kernel).narrow(3, offset, c.kernel);
}

}  // namespace

std::vector<ActiveConv> activeConvs(SupernetImpl& net, const Arch& arch) {
  const SearchSpace& space = net.space();
  std::vector<ActiveConv> convs;
  int side = convOutputSize(net.shape().resolution, space.stem.stride);
  addBlock(convs, *net.firstBlock, space.firstBlock.kernel, space.firstBlock.expand, side);
  for (size_t s = 0; s < net.blocks.size(); ++s) {
    const StageArch& stage = arch.stages.at(s);
    for (int b = 0; b < stage.depth(); ++b) addBlock(convs, *net.blocks[s][b], stage.kernels[b], stage.expands[b], side);
  }
  return convs;
}

SubnetSparsity subnetSparsity(SupernetImpl& net, const Arch& arch) {
  torch::NoGradGuard noGrad;
  SubnetSparsity r;
  r.denseMacs = computeCost(net.space(), arch, net.shape()).macs;
  int64_t zeroMacs = 0;
  for (const ActiveConv& c : activeConvs(net, arch)) {
    const at::Tensor w = c.conv->activeWeight(c.in, c.out, c.kernel);
    const int64_t zeros = (w == 0).sum().item<int64_t>();
    r.weights += w.numel();
    r.zeros += zeros;
    zeroMacs += zeros * c.side * c.side;
  }
  r.sparseMacs = r.denseMacs - zeroMacs;
  return r;
}

void oneShotPrune(SupernetImpl& net, const Arch& arch, double sparsity) {
  torch::NoGradGuard noGrad;
  net.enableMasks();
  const std::vector<ActiveConv> convs = activeConvs(net, arch);
  std::vector<at::Tensor> scores;
  for (const ActiveConv& c : convs) {
    // Already-masked weights rank first, so the count below is the subnet's total.
    scores.push_back((sliceOf(c.conv->weight, c).abs() * sliceOf(c.conv->mask, c)).flatten());
  }
  const at::Tensor flat = torch::cat(scores);
  const auto count = static_cast<int64_t>(std::llround(sparsity * static_cast<double>(flat.numel())));
  const at::Tensor order = std::get<1>(torch::sort(flat, /*stable=*/true, 0, false));
  at::Tensor keep = torch::ones_like(flat);
  keep.index_fill_(0, order.narrow(0, 0, count), 0);
  int64_t offset = 0;
  for (const ActiveConv& c : convs) {
    at::Tensor slice = sliceOf(c.conv->mask, c);
    slice.mul_(keep.narrow(0, offset, slice.numel()).view_as(slice));
    offset += slice.numel();
  }
}

}  // namespace sn
