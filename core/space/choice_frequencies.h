#pragma once
#include <cstdint>
#include <map>
#include <vector>

namespace sn {

struct Arch;
struct SearchSpace;

// How often each choice was taken over a set of archs (the subnets a training run sampled):
// per stage the depth, per block slot the kernel and expand of the archs that used it.
// A value, cheap to copy across threads.
class ChoiceFrequencies {
 public:
  ChoiceFrequencies() = default;
  explicit ChoiceFrequencies(const SearchSpace& space);

  void add(const Arch& arch);
  int64_t archs() const { return archs_; }

  // Share (0..1) of the counted archs with that depth in the stage.
  double depthShare(int stage, int depth) const;
  // Share of the archs that used block `block` of `stage` with that kernel / expand.
  double kernelShare(int stage, int block, int kernel) const;
  double expandShare(int stage, int block, int expand) const;
  // Share of counted archs that used the block at all.
  double blockUseShare(int stage, int block) const;

 private:
  struct Slot {
    int64_t used = 0;
    std::map<int, int64_t> kernels;
    std::map<int, int64_t> expands;
  };
  static double share(const std::map<int, int64_t>& counts, int value, int64_t total);
  // The slot's counts, or nullptr outside the space.
  const Slot* slotAt(int stage, int block) const;

  std::vector<std::map<int, int64_t>> depths_;  // per stage
  std::vector<std::vector<Slot>> slots_;        // per stage, per block
  int64_t archs_ = 0;
};

}  // namespace sn
