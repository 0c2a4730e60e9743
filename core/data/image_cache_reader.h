#pragma once
#include <string>

#include "core/data/dataset.h"

namespace sn {

// One split ("train" or "val") as a Dataset whose images are a [N, C, H, W] view of the
// memory-mapped NHWC file: nothing is read until a batch touches it. InputError names a
// missing or truncated file.
Dataset readImageCache(const std::string& dir, const std::string& split);

}  // namespace sn
