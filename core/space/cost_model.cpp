#include "core/space/cost_model.h"

#include "core/space/arch.h"
#include "core/space/block_layout.h"
#include "core/space/make_divisible.h"
#include "core/space/search_space.h"

namespace sn {
namespace {

struct Tally {
  Cost cost;
  int size = 0;  // current spatial side

  void conv(int64_t in, int64_t out, int64_t kernel, int stride, bool depthwise, bool bias,
            bool bn) {
    size = convOutputSize(size, stride);
    const int64_t inPerGroup = depthwise ? 1 : in;
    cost.macs += inPerGroup * kernel * kernel * out * size * size;
    cost.params += inPerGroup * kernel * kernel * out + (bias ? out : 0) + (bn ? 2 * out : 0);
  }

  // Squeeze-excite works on the pooled 1x1 map; its convs carry biases.
  void squeezeExcite(int64_t middle) {
    const int64_t hidden = seHidden(static_cast<int>(middle));
    cost.macs += 2 * middle * hidden;
    cost.params += 2 * middle * hidden + hidden + middle;
  }

  void mbconv(const MBConvSpec& block, int kernel, int expand) {
    const int middle = block.middle(expand);
    if (block.expandConv) conv(block.in, middle, 1, 1, false, false, true);
    conv(middle, middle, kernel, block.stride, true, false, true);
    if (block.se) squeezeExcite(middle);
    conv(middle, block.out, 1, 1, false, false, true);
  }
};

}  // namespace

Cost computeCost(const SearchSpace& space, const Arch& arch, const NetShape& shape) {
  Tally t;
  t.size = shape.resolution;
  t.conv(shape.channels, space.stemWidth(), space.stem.kernel, space.stem.stride, false, false,
         true);
  t.mbconv(firstBlockSpec(space), space.firstBlock.kernel, space.firstBlock.expand);
  for (int s = 0; s < space.stageCount(); ++s) {
    const StageArch& st = arch.stages.at(s);
    for (int b = 0; b < st.depth(); ++b) t.mbconv(stageBlockSpec(space, s, b), st.kernels[b], st.expands[b]);
  }
  t.conv(lastStageWidth(space), space.finalExpandWidth(), 1, 1, false, false, true);
  t.size = 1;  // global average pool
  t.conv(space.finalExpandWidth(), space.featureWidth(), 1, 1, false, false, false);
  t.cost.macs += int64_t{space.featureWidth()} * shape.classes;
  t.cost.params += int64_t{space.featureWidth()} * shape.classes + shape.classes;
  return t.cost;
}

}  // namespace sn
