#pragma once
#include <string>
#include <unordered_map>

namespace sn {

struct ExportGraph;

// The TorchScript source of `graph`'s forward: one line per node, weights as attributes.
std::string torchScriptSource(const ExportGraph& graph);

// Writes `graph` as a TorchScript archive that torch.jit.load (Python) and
// torch::jit::load (LibTorch) open without any of our code; `extraFiles` go into the archive
// too (the manifest, so the model explains itself).
void writeTorchScriptModel(const ExportGraph& graph, const std::string& path,
                           const std::unordered_map<std::string, std::string>& extraFiles = {});

// The extra file `name` of the archive at `path`, read by loading the whole archive as
// LibTorch's JIT does (so a file that reads here also loads); empty when it has none.
std::string torchScriptExtraFile(const std::string& path, const std::string& name);

}  // namespace sn
