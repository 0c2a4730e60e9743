#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "core/supernet/supernet.h"

namespace sn {

// Counts multiply-accumulates from the tensors a forward actually produces (batch 1
// equivalent): an independent check of the analytic cost model.
struct OpCounter {
  int64_t macs = 0;
};

// One block of an extracted subnet: plain torch::nn layers with their own weights.
class StaticMBConvImpl : public torch::nn::Module {
 public:
  StaticMBConvImpl(const MBConvSpec& spec, int kernel, int expand);
  torch::Tensor forward(const torch::Tensor& x, OpCounter* counter = nullptr);
  // Copies the active slice of `source` (masks applied) and its BN statistics.
  void copyFrom(const DynamicMBConvImpl& source);
  const MBConvSpec& spec() const { return spec_; }

  torch::nn::Conv2d expandConv{nullptr};
  torch::nn::BatchNorm2d expandBn{nullptr};
  torch::nn::Conv2d depthConv{nullptr};
  torch::nn::BatchNorm2d depthBn{nullptr};
  torch::nn::Conv2d seReduce{nullptr};
  torch::nn::Conv2d seExpand{nullptr};
  torch::nn::Conv2d projectConv{nullptr};
  torch::nn::BatchNorm2d projectBn{nullptr};

 private:
  MBConvSpec spec_;
  int kernel_;
  int middle_;
};
TORCH_MODULE(StaticMBConv);

// A subnet extracted from a supernet as a standalone dense network: only the active
// blocks, channels and kernel centres, with copied weights (pruning masks applied) and
// copied BN statistics. Gives the supernet's logits for that arch.
class StaticSubnetImpl : public torch::nn::Module {
 public:
  StaticSubnetImpl(const SearchSpace& space, const Arch& arch, const NetShape& shape);
  torch::Tensor forward(const torch::Tensor& x, OpCounter* counter = nullptr);
  // forward() that appends the wall time of each elastic block (in network order, the fixed
  // first block left out) to `blockMs`: what a latency table records of a block inside a
  // real network. CPU only, where a layer's work is done when its call returns.
  torch::Tensor forwardTimingBlocks(const torch::Tensor& x, std::vector<double>& blockMs);

  const Arch& arch() const { return arch_; }
  const SearchSpace& space() const { return space_; }

  torch::nn::Conv2d stemConv{nullptr};
  torch::nn::BatchNorm2d stemBn{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::Conv2d finalExpandConv{nullptr};
  torch::nn::BatchNorm2d finalExpandBn{nullptr};
  torch::nn::Conv2d featureConv{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};

 private:
  torch::Tensor run(const torch::Tensor& x, OpCounter* counter, std::vector<double>* blockMs);

  SearchSpace space_;
  Arch arch_;
};
TORCH_MODULE(StaticSubnet);

// Extracts the subnet `arch` of `supernet` with its own copy of the weights.
StaticSubnet extractSubnet(SupernetImpl& supernet, const Arch& arch);

}  // namespace sn
