#pragma once
#include <map>
#include <string>

#include "core/export/export_graph.h"

namespace sn {

struct OnnxWriteOptions {
  int64_t batch = 0;      // 0: dynamic batch (a "batch" dimension parameter)
  int64_t opset = 14;     // HardSwish needs 14
  std::string docString;  // shown by model viewers: say how to normalise the input
  std::map<std::string, std::string> metadata;
  std::string producerVersion;
};

// Writes `graph` as an ONNX model (protobuf, built with Debian's libonnx classes): one
// float NCHW input and one logits output, weights as initialisers.
void writeOnnxModel(const ExportGraph& graph, const std::string& path, const OnnxWriteOptions& options);

// The weights an ONNX file holds (its float initialisers, by name): what a deployment loads.
std::map<std::string, at::Tensor> readOnnxInitializers(const std::string& path);

}  // namespace sn
