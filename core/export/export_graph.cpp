#include "core/export/export_graph.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>

#include "core/supernet/static_subnet.h"

namespace sn {
namespace {

namespace nn = torch::nn;

at::Tensor plain(const at::Tensor& t) { return t.detach().to(at::kCPU, at::kFloat).contiguous().clone(); }

// Appends nodes while tracking the spatial size, so each conv knows its output pixels.
class GraphBuilder {
 public:
  explicit GraphBuilder(const NetShape& shape) {
    graph_.shape = shape;
    resolution_[graph_.input] = shape.resolution;
  }

  // Conv followed by `bn` (may be null): the BN's affine map and running statistics are
  // folded into the conv's weight and bias, as inference runtimes would do themselves.
  std::string conv(const std::string& x, const nn::Conv2d& conv, const nn::BatchNorm2d& bn) {
    const auto& o = conv->options;
    const int64_t kernel = (*o.kernel_size())[0];
    const int64_t stride = (*o.stride())[0];
    const int64_t padding = kernel / 2;
    const int64_t out = (resolution_.at(x) + 2 * padding - kernel) / stride + 1;
    at::Tensor weight = conv->weight.detach();
    at::Tensor bias = conv->bias.defined() ? conv->bias.detach() : at::zeros({weight.size(0)}, weight.options());
    if (bn) {
      const at::Tensor scale = bn->weight.detach() / at::sqrt(bn->running_var + bn->options.eps());
      weight = weight * scale.view({-1, 1, 1, 1});
      bias = bn->bias.detach() + (bias - bn->running_mean) * scale;
    }
    ExportNode n = node(ExportOp::Conv, {x});
    n.weight = plain(weight);
    n.bias = plain(bias);
    n.stride = stride;
    n.padding = padding;
    n.groups = o.groups();
    n.outputSide = out;
    return push(std::move(n));
  }

  std::string activation(const std::string& x, Activation act) {
    switch (act) {
      case Activation::ReLU: return op(ExportOp::Relu, {x});
      case Activation::HSwish: return op(ExportOp::HardSwish, {x});
      case Activation::None: return x;
    }
    return x;
  }

  std::string op(ExportOp kind, std::vector<std::string> inputs) {
    int64_t resolution = 1;  // ExpandSpatial (1x1 gate, full-size map) takes the larger input's
    if (kind != ExportOp::GlobalAveragePool) {
      for (const std::string& in : inputs) resolution = std::max(resolution, resolution_.at(in));
    }
    ExportNode n = node(kind, std::move(inputs));
    n.outputSide = resolution;
    return push(std::move(n));
  }

  std::string gemm(const std::string& x, const nn::Linear& linear) {
    ExportNode n = node(ExportOp::Gemm, {x});
    n.weight = plain(linear->weight);
    n.bias = plain(linear->bias);
    return push(std::move(n));
  }

  ExportGraph finish(const std::string& last) {
    for (ExportNode& n : graph_.nodes) {
      if (n.output == last) n.output = graph_.output;
      for (std::string& in : n.inputs) {
        if (in == last) in = graph_.output;
      }
    }
    return std::move(graph_);
  }

  const std::string& input() const { return graph_.input; }

 private:
  ExportNode node(ExportOp kind, std::vector<std::string> inputs) {
    ExportNode n;
    n.op = kind;
    n.inputs = std::move(inputs);
    n.output = "t" + std::to_string(graph_.nodes.size());
    return n;
  }
  std::string push(ExportNode n) {
    resolution_[n.output] = n.outputSide;
    graph_.nodes.push_back(std::move(n));
    return graph_.nodes.back().output;
  }

  ExportGraph graph_;
  std::map<std::string, int64_t> resolution_;  // height (= width) of each value
};

std::string addBlock(GraphBuilder& g, const std::string& x, const StaticMBConvImpl& block) {
  const MBConvSpec& spec = block.spec();
  std::string y = x;
  if (spec.expandConv) y = g.activation(g.conv(y, block.expandConv, block.expandBn), spec.act);
  y = g.activation(g.conv(y, block.depthConv, block.depthBn), spec.act);
  if (spec.se) {
    std::string s = g.op(ExportOp::GlobalAveragePool, {y});
    s = g.op(ExportOp::Relu, {g.conv(s, block.seReduce, nullptr)});
    s = g.op(ExportOp::HardSigmoid, {g.conv(s, block.seExpand, nullptr)});
    y = g.op(ExportOp::Mul, {g.op(ExportOp::ExpandSpatial, {s, y}), y});
  }
  y = g.conv(y, block.projectConv, block.projectBn);
  return spec.residual() ? g.op(ExportOp::Add, {y, x}) : y;
}

// Each weight is used once per output pixel (Gemm: once).
int64_t macsOf(const ExportNode& n, int64_t weights) {
  return n.op == ExportOp::Conv ? weights * n.outputSide * n.outputSide : weights;
}

}  // namespace

ExportGraph buildExportGraph(const StaticSubnetImpl& subnet, const NetShape& shape) {
  torch::NoGradGuard noGrad;
  GraphBuilder g(shape);
  std::string x = g.activation(g.conv(g.input(), subnet.stemConv, subnet.stemBn), subnet.space().stem.act);
  for (const auto& block : *subnet.blocks) x = addBlock(g, x, *block->as<StaticMBConvImpl>());
  x = g.op(ExportOp::HardSwish, {g.conv(x, subnet.finalExpandConv, subnet.finalExpandBn)});
  x = g.op(ExportOp::GlobalAveragePool, {x});
  x = g.op(ExportOp::HardSwish, {g.conv(x, subnet.featureConv, nullptr)});
  x = g.gemm(g.op(ExportOp::Flatten, {x}), subnet.classifier);
  return g.finish(x);
}

int64_t ExportGraph::denseMacs() const {
  int64_t macs = 0;
  for (const ExportNode& n : nodes) {
    if (n.weight.defined()) macs += macsOf(n, n.weight.numel());
  }
  return macs;
}

int64_t ExportGraph::sparseMacs() const {
  int64_t macs = 0;
  for (const ExportNode& n : nodes) {
    if (n.weight.defined()) macs += macsOf(n, n.weight.ne(0).sum().item<int64_t>());
  }
  return macs;
}

int64_t ExportGraph::weightCount() const {
  int64_t count = 0;
  for (const ExportNode& n : nodes) count += n.weight.defined() ? n.weight.numel() : 0;
  return count;
}

double ExportGraph::sparsity() const {
  int64_t zeros = 0;
  for (const ExportNode& n : nodes) zeros += n.weight.defined() ? n.weight.eq(0).sum().item<int64_t>() : 0;
  const int64_t total = weightCount();
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

const char* exportOpName(ExportOp op) {
  switch (op) {
    case ExportOp::Conv: return "Conv";
    case ExportOp::Relu: return "Relu";
    case ExportOp::HardSwish: return "HardSwish";
    case ExportOp::HardSigmoid: return "HardSigmoid";
    case ExportOp::GlobalAveragePool: return "GlobalAveragePool";
    case ExportOp::Mul: return "Mul";
    case ExportOp::Add: return "Add";
    case ExportOp::Flatten: return "Flatten";
    case ExportOp::Gemm: return "Gemm";
    case ExportOp::ExpandSpatial: return "Resize";
  }
  return "?";
}

}  // namespace sn
