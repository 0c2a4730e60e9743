#pragma once
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sn {

enum class Activation { None, ReLU, HSwish };

// How a smaller elastic kernel comes from the largest: its centre ("slice"), or Once-for-All's
// trainable kernel transformation matrices applied to the centre in turn, 7x7 -> 5x5 -> 3x3
// ("matrix"; DynamicSeparableConv2d.get_active_filter in OFA's dynamic_op.py).
enum class KernelTransform { Slice, Matrix };

struct StemSpec {
  int outChannels = 16;
  int kernel = 3;
  int stride = 2;
  Activation act = Activation::HSwish;
  bool operator==(const StemSpec& o) const {
    return std::tie(outChannels, kernel, stride, act) == std::tie(o.outChannels, o.kernel, o.stride, o.act);
  }
};

// The fixed MBConv block before the elastic stages (expand 1 in the OFA spaces).
struct FirstBlockSpec {
  int outChannels = 16;
  int kernel = 3;
  int expand = 1;
  Activation act = Activation::ReLU;
  bool se = false;
  bool operator==(const FirstBlockSpec& o) const {
    return std::tie(outChannels, kernel, expand, act, se) == std::tie(o.outChannels, o.kernel, o.expand, o.act, o.se);
  }
};

struct StageSpec {
  int width = 0;  // before width_mult
  int stride = 1;
  Activation act = Activation::ReLU;
  bool se = false;
  bool operator==(const StageSpec& o) const {
    return std::tie(width, stride, act, se) == std::tie(o.width, o.stride, o.act, o.se);
  }
};

struct HeadSpec {
  int finalExpand = 960;  // 1x1 conv + BN + h_swish before pooling
  int feature = 1280;     // 1x1 conv + h_swish after pooling (no BN, no bias)
  double dropout = 0.1;
  bool operator==(const HeadSpec& o) const {
    return std::tie(finalExpand, feature, dropout) == std::tie(o.finalExpand, o.feature, o.dropout);
  }
};

// Input shape of a network: from the dataset, or the command line.
struct NetShape {
  int channels = 1;
  int resolution = 28;
  int classes = 10;
  bool operator==(const NetShape& o) const {
    return std::tie(channels, resolution, classes) == std::tie(o.channels, o.resolution, o.classes);
  }
};

// A weight-sharing search space as data: fixed stem, first block and head, elastic stages
// with per-block kernel/expand choices and per-stage depth choices.
struct SearchSpace {
  std::string name;
  std::string description;
  double widthMult = 1.0;
  StemSpec stem;
  FirstBlockSpec firstBlock;
  std::vector<StageSpec> stages;
  std::vector<int> kernels;  // ascending
  std::vector<int> expands;  // ascending
  std::vector<int> depths;   // ascending
  HeadSpec head;
  KernelTransform kernelTransform = KernelTransform::Slice;

  int maxKernel() const { return kernels.back(); }
  int maxExpand() const { return expands.back(); }
  int maxDepth() const { return depths.back(); }
  int stageCount() const { return static_cast<int>(stages.size()); }
  // Output channels of stage i after width_mult (made divisible by 8).
  int stageWidth(int stage) const;
  int stemWidth() const;
  int firstBlockWidth() const;
  int finalExpandWidth() const;
  int featureWidth() const;

  bool operator==(const SearchSpace& o) const {
    return std::tie(name, widthMult, stem, firstBlock, stages, kernels, expands, depths, head,
                    kernelTransform) == std::tie(o.name, o.widthMult, o.stem, o.firstBlock, o.stages,
                                                 o.kernels, o.expands, o.depths, o.head,
                                                 o.kernelTransform);
  }

  // Parses and validates; throws InputError naming `origin` (a file or preset) on bad data.
  static SearchSpace fromJson(const nlohmann::json& j, const std::string& origin);
  nlohmann::json toJson() const;
};

const char* activationName(Activation a);

}  // namespace sn
