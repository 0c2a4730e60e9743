#include "core/space/choice_frequencies.h"

#include <algorithm>

#include "core/space/arch.h"
#include "core/space/search_space.h"

namespace sn {

ChoiceFrequencies::ChoiceFrequencies(const SearchSpace& space)
    : depths_(space.stages.size()), slots_(space.stages.size()) {
  const int maxDepth = space.depths.empty() ? 0 : space.depths.back();
  for (auto& stage : slots_) stage.resize(maxDepth);
}

void ChoiceFrequencies::add(const Arch& arch) {
  const size_t stages = std::min(arch.stages.size(), slots_.size());
  for (size_t s = 0; s < stages; ++s) {
    const StageArch& st = arch.stages[s];
    ++depths_[s][st.depth()];
    for (int b = 0; b < st.depth() && b < static_cast<int>(slots_[s].size()); ++b) {
      Slot& slot = slots_[s][b];
      ++slot.used;
      ++slot.kernels[st.kernels[b]];
      ++slot.expands[st.expands[b]];
    }
  }
  ++archs_;
}

double ChoiceFrequencies::share(const std::map<int, int64_t>& counts, int value, int64_t total) {
  const auto it = counts.find(value);
  return total == 0 || it == counts.end() ? 0.0 : static_cast<double>(it->second) / total;
}

double ChoiceFrequencies::depthShare(int stage, int depth) const {
  if (stage < 0 || stage >= static_cast<int>(depths_.size())) return 0.0;
  return share(depths_[stage], depth, archs_);
}

const ChoiceFrequencies::Slot* ChoiceFrequencies::slotAt(int stage, int block) const {
  if (stage < 0 || stage >= static_cast<int>(slots_.size())) return nullptr;
  if (block < 0 || block >= static_cast<int>(slots_[stage].size())) return nullptr;
  return &slots_[stage][block];
}

double ChoiceFrequencies::kernelShare(int stage, int block, int kernel) const {
  const Slot* slot = slotAt(stage, block);
  return slot ? share(slot->kernels, kernel, slot->used) : 0.0;
}

double ChoiceFrequencies::expandShare(int stage, int block, int expand) const {
  const Slot* slot = slotAt(stage, block);
  return slot ? share(slot->expands, expand, slot->used) : 0.0;
}

double ChoiceFrequencies::blockUseShare(int stage, int block) const {
  const Slot* slot = slotAt(stage, block);
  return slot && archs_ > 0 ? static_cast<double>(slot->used) / archs_ : 0.0;
}

}  // namespace sn
