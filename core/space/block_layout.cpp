#include "core/space/block_layout.h"

#include "core/space/make_divisible.h"

namespace sn {

int MBConvSpec::middle(int expand) const { return expandConv ? mbconvMiddle(in, expand) : in; }

MBConvSpec firstBlockSpec(const SearchSpace& space) {
  const FirstBlockSpec& fb = space.firstBlock;
  return {space.stemWidth(), space.firstBlockWidth(), 1, fb.kernel, fb.expand, fb.expand != 1,
          fb.act, fb.se};
}

MBConvSpec stageBlockSpec(const SearchSpace& space, int stage, int block) {
  const StageSpec& st = space.stages.at(stage);
  const int previous = stage == 0 ? space.firstBlockWidth() : space.stageWidth(stage - 1);
  return {block == 0 ? previous : space.stageWidth(stage),
          space.stageWidth(stage),
          block == 0 ? st.stride : 1,
          space.maxKernel(),
          space.maxExpand(),
          space.expands != std::vector<int>{1},
          st.act,
          st.se,
          space.kernelTransform == KernelTransform::Matrix && space.kernels.size() > 1
              ? space.kernels
              : std::vector<int>{}};
}

int lastStageWidth(const SearchSpace& space) { return space.stageWidth(space.stageCount() - 1); }

}  // namespace sn
