#pragma once
#include <ATen/core/Tensor.h>
#include <cstdint>
#include <string>
#include <vector>

#include "core/space/search_space.h"

namespace sn {

class StaticSubnetImpl;

enum class ExportOp {
  Conv, Relu, HardSwish, HardSigmoid, GlobalAveragePool, Mul, Add, Flatten, Gemm,
  // [N, C, 1, 1] repeated to the spatial size of the second input ([N, C, H, W]): the SE
  // gate made full size, so the Mul after it needs no broadcasting (OpenCV 4.6 DNN
  // mis-sizes a broadcasting Mul whenever the batch is above 1).
  ExpandSpatial
};

// One operation of an exported subnet, in a form every writer (ONNX, TorchScript) can emit
// one line for. Conv and Gemm carry their weights with batch norm already folded in.
struct ExportNode {
  ExportOp op = ExportOp::Relu;
  std::vector<std::string> inputs;
  std::string output;
  at::Tensor weight;  // Conv [out, in / groups, k, k]; Gemm [out, in]; float, CPU, contiguous
  at::Tensor bias;    // [out]
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t groups = 1;
  int64_t outputSide = 1;  // output height (= width): MAC counts, ExpandSpatial's target
};

// An extracted subnet as a flat list of operations from `input` to `output` (logits), for
// inference: BN folded into the convs before it, dropout dropped.
struct ExportGraph {
  std::string input = "input";
  std::string output = "logits";
  NetShape shape;
  std::vector<ExportNode> nodes;

  // Multiply-accumulates per image: all weights, and only the non-zero (unpruned) ones.
  int64_t denseMacs() const;
  int64_t sparseMacs() const;
  // Share of conv and linear weights that are exactly zero (pruned).
  double sparsity() const;
  int64_t weightCount() const;
};

// `subnet` must be in eval mode: its BN running statistics are what gets folded.
ExportGraph buildExportGraph(const StaticSubnetImpl& subnet, const NetShape& shape);

const char* exportOpName(ExportOp op);

}  // namespace sn
