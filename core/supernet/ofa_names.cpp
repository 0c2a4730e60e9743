#include "core/supernet/ofa_names.h"

#include <cstdio>
#include <utility>

namespace sn {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A block's part: OFA's dynamic layers wrap each conv and BN once more (".conv.conv",
// ".bn.bn") than its static first block does.
std::string blockPart(const std::string& rest, bool dynamic) {
  const std::string conv = dynamic ? "conv.conv." : "conv.";
  const std::string bn = dynamic ? "bn.bn." : "bn.";
  static const std::pair<const char*, const char*> kSe[] = {
      {"se.reduce_weight", "depth_conv.se.fc.reduce.weight"},
      {"se.reduce_bias", "depth_conv.se.fc.reduce.bias"},
      {"se.expand_weight", "depth_conv.se.fc.expand.weight"},
      {"se.expand_bias", "depth_conv.se.fc.expand.bias"}};
  for (const auto& [ours, theirs] : kSe) {
    if (rest == ours) return theirs;
  }
  int from = 0, to = 0;
  char tail = 0;
  if (std::sscanf(rest.c_str(), "depth_conv.matrix_%dto%d%c", &from, &to, &tail) == 2) {
    return "depth_conv.conv." + std::to_string(from) + "to" + std::to_string(to) + "_matrix";
  }
  static const std::pair<const char*, const char*> kParts[] = {
      {"expand_conv.", "inverted_bottleneck."}, {"expand_bn.", "inverted_bottleneck."},
      {"depth_conv.", "depth_conv."},           {"depth_bn.", "depth_conv."},
      {"project_conv.", "point_linear."},       {"project_bn.", "point_linear."}};
  for (const auto& [ours, theirs] : kParts) {
    if (!startsWith(rest, ours)) continue;
    const std::string leaf = rest.substr(std::string(ours).size());
    if (leaf == "mask") return {};
    const bool isBn = std::string(ours).find("_bn.") != std::string::npos;
    return theirs + (isBn ? bn : conv) + leaf;
  }
  return {};  // channel_mask and anything else OFA has no name for
}

}  // namespace

std::string ofaName(const std::string& ours, int maxDepth) {
  static const std::pair<const char*, const char*> kFixed[] = {
      {"stem_conv.", "first_conv.conv."},
      {"stem_bn.", "first_conv.bn."},
      {"final_expand_conv.", "final_expand_layer.conv."},
      {"final_expand_bn.", "final_expand_layer.bn."},
      {"feature_conv.", "feature_mix_layer.conv."},
      {"classifier.", "classifier.linear."}};
  for (const auto& [prefix, theirs] : kFixed) {
    if (!startsWith(ours, prefix)) continue;
    const std::string leaf = ours.substr(std::string(prefix).size());
    return leaf == "mask" ? std::string() : theirs + leaf;
  }
  if (startsWith(ours, "first_block.")) {
    const std::string part = blockPart(ours.substr(12), false);
    return part.empty() ? part : "blocks.0.conv." + part;
  }
  int stage = 0, block = 0, used = 0;
  if (std::sscanf(ours.c_str(), "stage%d_block%d.%n", &stage, &block, &used) == 2 && used > 0) {
    const std::string part = blockPart(ours.substr(static_cast<size_t>(used)), true);
    const int index = 1 + (stage - 1) * maxDepth + (block - 1);
    return part.empty() ? part : "blocks." + std::to_string(index) + ".conv." + part;
  }
  return {};
}

}  // namespace sn
