#include "core/search/arch_encoding.h"

#include <algorithm>
#include <stdexcept>

#include "core/space/arch.h"

namespace sn {
namespace {

int position(const std::vector<int>& choices, int value) {
  const auto it = std::find(choices.begin(), choices.end(), value);
  if (it == choices.end()) throw std::invalid_argument("ArchEncoding: value outside the space");
  return static_cast<int>(it - choices.begin());
}

}  // namespace

ArchEncoding::ArchEncoding(const SearchSpace& space) : space_(space) {
  perBlock_ = static_cast<int>(space.kernels.size() + space.expands.size());
  perStage_ = static_cast<int>(space.depths.size()) + space.maxDepth() * perBlock_;
  size_ = perStage_ * space.stageCount();
}

int ArchEncoding::depthIndex(int stage, int depth) const {
  return stage * perStage_ + position(space_.depths, depth);
}

int ArchEncoding::kernelIndex(int stage, int block, int kernel) const {
  return stage * perStage_ + static_cast<int>(space_.depths.size()) + block * perBlock_ +
         position(space_.kernels, kernel);
}

int ArchEncoding::expandIndex(int stage, int block, int expand) const {
  return kernelIndex(stage, block, space_.kernels.front()) +
         static_cast<int>(space_.kernels.size()) + position(space_.expands, expand);
}

std::vector<int> ArchEncoding::activeFeatures(const Arch& arch) const {
  std::vector<int> active;
  for (int s = 0; s < space_.stageCount(); ++s) {
    const StageArch& st = arch.stages.at(s);
    active.push_back(depthIndex(s, st.depth()));
    for (int b = 0; b < st.depth(); ++b) {
      active.push_back(kernelIndex(s, b, st.kernels[b]));
      active.push_back(expandIndex(s, b, st.expands[b]));
    }
  }
  return active;
}

std::vector<double> ArchEncoding::encode(const Arch& arch) const {
  std::vector<double> x(size_, 0.0);
  for (int i : activeFeatures(arch)) x[i] = 1.0;
  return x;
}

}  // namespace sn
