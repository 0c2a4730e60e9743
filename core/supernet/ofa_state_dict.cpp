#include "core/supernet/ofa_state_dict.h"

#include <torch/torch.h>

#include <map>
#include <set>
#include <sstream>

#include "core/space/presets.h"
#include "core/supernet/ofa_names.h"
#include "core/supernet/supernet.h"
#include "core/util/input_error.h"
#include "core/util/shape_text.h"

namespace sn {
namespace {

const at::Tensor& required(const TorchStateDict& state, const std::string& key, const std::string& file) {
  const at::Tensor* t = state.find(key);
  if (!t) throw InputError(file + ": no '" + key + "'; not an OFAMobileNetV3 state_dict");
  return *t;
}

SearchSpace ofaSpace(double widthMult, KernelTransform transform) {
  SearchSpace space = spacePreset("ofa-mbv3");
  space.widthMult = widthMult;
  space.kernelTransform = transform;
  if (widthMult != 1.0) {
    std::ostringstream name;
    name << "ofa-mbv3-w" << widthMult;
    space.name = name.str();
    space.description = "Once-for-All MobileNetV3 space (ofa_mbv3_d234_e346_k357_w" + name.str().substr(10) + ")";
  }
  return space;
}

// Every tensor of `net` with its OFA name (masks have none).
std::vector<std::pair<std::string, at::Tensor>> namedTensors(SupernetImpl& net) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& p : net.named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& b : net.named_buffers()) out.emplace_back(b.key(), b.value());
  return out;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The weight of every masked conv with its mask multiplied in, by parameter name.
std::map<std::string, at::Tensor> maskedWeights(SupernetImpl& net) {
  std::map<std::string, at::Tensor> out;
  for (const auto& m : net.named_modules()) {
    const auto* conv = m.value()->as<DynamicConv2dImpl>();
    if (conv && conv->hasMask()) out[m.key() + ".weight"] = (conv->weight * conv->mask).detach().to(at::kCPU);
  }
  return out;
}

}  // namespace

bool isOfaMobileNetV3(const SearchSpace& space) {
  SearchSpace same = ofaSpace(space.widthMult, space.kernelTransform);
  same.name = space.name;
  same.description = space.description;
  same.head.dropout = space.head.dropout;
  return same == space;
}

OfaLayout ofaLayoutOf(const TorchStateDict& state, const std::string& file, int resolution) {
  const at::Tensor& stem = required(state, "first_conv.conv.weight", file);
  const at::Tensor& head = required(state, "classifier.linear.weight", file);
  if (stem.dim() != 4 || head.dim() != 2) throw InputError(file + ": first_conv or classifier has the wrong rank");
  const KernelTransform transform = state.find("blocks.1.conv.depth_conv.conv.7to5_matrix")
                                        ? KernelTransform::Matrix
                                        : KernelTransform::Slice;
  for (double widthMult : {1.0, 1.2}) {
    SearchSpace space = ofaSpace(widthMult, transform);
    if (stem.size(0) == space.stemWidth()) {
      return {space, NetShape{static_cast<int>(stem.size(1)), resolution, static_cast<int>(head.size(0))}};
    }
  }
  throw InputError(file + ": first_conv has " + std::to_string(stem.size(0)) +
                   " channels; OFA-MobileNetV3 w1.0 has 16 and w1.2 has 24");
}

void loadOfaStateDict(SupernetImpl& net, const TorchStateDict& state, const std::string& file) {
  const int maxDepth = net.space().maxDepth();
  std::vector<std::pair<at::Tensor, at::Tensor>> copies;  // (ours, theirs), checked first
  std::set<std::string> used;
  for (const auto& [name, ours] : namedTensors(net)) {
    const std::string key = ofaName(name, maxDepth);
    if (key.empty()) continue;
    const at::Tensor& theirs = required(state, key, file);
    if (theirs.sizes() != ours.sizes()) {
      throw InputError(file + ": '" + key + "' has shape " + shapeText(theirs.sizes()) + ", " +
                       net.space().name + " needs " + shapeText(ours.sizes()));
    }
    if (!theirs.is_floating_point()) throw InputError(file + ": '" + key + "' is not floating point");
    copies.emplace_back(ours, theirs);
    used.insert(key);
  }
  for (const auto& [key, tensor] : state.entries) {
    if (!endsWith(key, ".num_batches_tracked") && !used.count(key)) {
      throw InputError(file + ": unexpected '" + key + "'; not an OFAMobileNetV3 of this layout");
    }
  }
  torch::NoGradGuard noGrad;
  for (auto& [ours, theirs] : copies) ours.copy_(theirs.to(ours.scalar_type()));
}

TorchStateDict ofaStateDictOf(SupernetImpl& net) {
  if (!isOfaMobileNetV3(net.space())) {
    throw InputError("space '" + net.space().name + "' is not OFA-MobileNetV3's layout (d234 e346 k357)");
  }
  if (net.shape().channels != 3) {
    throw InputError("OFAMobileNetV3 takes 3 input channels; this run's data has " +
                     std::to_string(net.shape().channels));
  }
  const SearchSpace matrixSpace = ofaSpace(net.space().widthMult, KernelTransform::Matrix);
  const int maxDepth = net.space().maxDepth();
  torch::NoGradGuard noGrad;
  TorchStateDict out;
  out.format = "zip";
  const std::map<std::string, at::Tensor> masked = maskedWeights(net);
  std::map<std::string, at::Tensor> ours;
  for (const auto& [name, tensor] : namedTensors(net)) {
    const std::string key = ofaName(name, maxDepth);
    if (key.empty()) continue;
    const auto m = masked.find(name);
    ours[key] = m != masked.end() ? m->second : tensor.detach().to(at::kCPU);
  }
  // OFA's own order and its full key set: a "slice" run gets identity matrices (the centre
  // slice is what an identity transform gives) and every BN a num_batches_tracked.
  Supernet reference(matrixSpace, net.shape());
  for (const auto& [name, tensor] : namedTensors(*reference)) {
    const std::string key = ofaName(name, maxDepth);
    if (key.empty()) continue;
    const auto it = ours.find(key);
    out.entries.emplace_back(key, it != ours.end() ? it->second : tensor.detach().clone());
    if (endsWith(key, "running_var")) {
      out.entries.emplace_back(key.substr(0, key.size() - 11) + "num_batches_tracked",
                               torch::zeros({}, torch::kLong));
    }
  }
  return out;
}

}  // namespace sn
