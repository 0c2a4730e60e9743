#include "core/export/torchscript_writer.h"

#include <torch/script.h>

#include <sstream>

#include "core/export/export_graph.h"
#include "core/util/file_sink.h"

namespace sn {
namespace {

std::string param(size_t index, const char* what) { return "n" + std::to_string(index) + "_" + what; }

std::string expression(const ExportNode& n, size_t index) {
  const std::string& x = n.inputs.front();
  switch (n.op) {
    case ExportOp::Conv: {
      std::ostringstream s;
      s << "torch.conv2d(" << x << ", self." << param(index, "weight") << ", self."
        << param(index, "bias") << ", [" << n.stride << ", " << n.stride << "], [" << n.padding
        << ", " << n.padding << "], [1, 1], " << n.groups << ")";
      return s.str();
    }
    case ExportOp::Relu: return "torch.relu(" + x + ")";
    case ExportOp::HardSwish: return "torch.hardswish(" + x + ")";
    case ExportOp::HardSigmoid: return "torch.hardsigmoid(" + x + ")";
    case ExportOp::GlobalAveragePool: return "torch.mean(" + x + ", [2, 3], True)";
    case ExportOp::Mul: return x + " * " + n.inputs[1];
    case ExportOp::Add: return x + " + " + n.inputs[1];
    case ExportOp::Flatten: return "torch.flatten(" + x + ", 1)";
    case ExportOp::ExpandSpatial: return x + ".expand_as(" + n.inputs[1] + ")";
    case ExportOp::Gemm:
      return "torch.linear(" + x + ", self." + param(index, "weight") + ", self." + param(index, "bias") + ")";
  }
  return x;
}

}  // namespace

std::string torchScriptSource(const ExportGraph& graph) {
  std::ostringstream s;
  s << "def forward(self, " << graph.input << "):\n";
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    s << "    " << graph.nodes[i].output << " = " << expression(graph.nodes[i], i) << "\n";
  }
  s << "    return " << graph.output << "\n";
  return s.str();
}

void writeTorchScriptModel(const ExportGraph& graph, const std::string& path,
                           const std::unordered_map<std::string, std::string>& extraFiles) {
  torch::jit::Module module(c10::QualifiedName("__torch__.supernet_studio.Subnet"));
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const ExportNode& n = graph.nodes[i];
    if (!n.weight.defined()) continue;
    module.register_parameter(param(i, "weight"), n.weight.clone(), false);
    module.register_parameter(param(i, "bias"), n.bias.clone(), false);
  }
  module.define(torchScriptSource(graph));
  module.eval();
  // Into memory first: LibTorch writing the file itself ends the process when the disk is
  // full (see FileSink). A subnet's model is small.
  std::ostringstream bytes;
  module.save(bytes, extraFiles);
  FileSink::writeAll(path, bytes.str());
}

std::string torchScriptExtraFile(const std::string& path, const std::string& name) {
  torch::jit::ExtraFilesMap extra{{name, ""}};
  torch::jit::load(path, torch::kCPU, extra);
  return extra[name];
}

}  // namespace sn
