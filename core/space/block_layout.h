#pragma once
#include <vector>

#include "core/space/search_space.h"

namespace sn {

// One MBConv block of a space at its largest (kernelMax, expandMax); a subnet picks a
// kernel and expand at or below those.
struct MBConvSpec {
  int in = 0;
  int out = 0;
  int stride = 1;
  int kernelMax = 3;
  int expandMax = 1;
  bool expandConv = true;  // false: expand fixed at 1, no 1x1 expansion (OFA's first block)
  Activation act = Activation::ReLU;
  bool se = false;
  // The kernel choices (ascending) whose transformation matrices the depthwise conv carries;
  // empty: smaller kernels are the centre slice.
  std::vector<int> transformKernels;
  bool residual() const { return stride == 1 && in == out; }
  // make_divisible(round(in x expand), 8), or `in` without an expansion conv.
  int middle(int expand) const;
};

// The layout every consumer walks (supernet, extracted subnet, cost model), in one place:
// the fixed block after the stem, and block `block` of elastic stage `stage` (the first
// block of a stage strides and changes the width).
MBConvSpec firstBlockSpec(const SearchSpace& space);
MBConvSpec stageBlockSpec(const SearchSpace& space, int stage, int block);
// Channels entering the head: the last stage's width.
int lastStageWidth(const SearchSpace& space);

}  // namespace sn
