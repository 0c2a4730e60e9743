#pragma once

namespace sn {

// The training augmentation of a recipe (plain: a recipe is read where LibTorch is not).
struct AugmentSpec {
  int cropPadding = 0;  // random crop after zero padding by this many pixels (0: off)
  bool flip = false;    // random horizontal flip
};

}  // namespace sn
