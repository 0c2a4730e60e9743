#pragma once
#include <string>

namespace sn {

// The name Once-for-All's OFAMobileNetV3 gives in its state_dict to one of our supernet's
// parameters or buffers ("stage2_block3.depth_conv.matrix_7to5" ->
// "blocks.7.conv.depth_conv.conv.7to5_matrix"), for a space whose stages hold `maxDepth`
// blocks each. Empty for what OFA does not have (pruning masks). The layouts match one to
// one: stem = first_conv, first_block = blocks.0, stage s block b = blocks.1+s*maxDepth+b,
// final_expand = final_expand_layer, feature_conv = feature_mix_layer, classifier.linear.
std::string ofaName(const std::string& ours, int maxDepth);

}  // namespace sn
