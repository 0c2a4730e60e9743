#pragma once
#include <vector>

#include "core/space/search_space.h"

namespace sn {

struct Arch;

// Once-for-All's predictor input: per stage, a one-hot of its depth, and for every block
// slot a one-hot of its kernel and one of its expand (all zero when the slot is skipped).
class ArchEncoding {
 public:
  explicit ArchEncoding(const SearchSpace& space);

  int size() const { return size_; }
  // Indices of the features that are 1 for `arch` (the rest are 0).
  std::vector<int> activeFeatures(const Arch& arch) const;
  std::vector<double> encode(const Arch& arch) const;

 private:
  int depthIndex(int stage, int depth) const;
  int kernelIndex(int stage, int block, int kernel) const;
  int expandIndex(int stage, int block, int expand) const;

  SearchSpace space_;
  int perBlock_ = 0;
  int perStage_ = 0;
  int size_ = 0;
};

}  // namespace sn
