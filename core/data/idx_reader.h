#pragma once
#include <ATen/core/Tensor.h>
#include <string>

#include "core/data/dataset.h"

namespace sn {

// Reads one IDX file (raw or gzip-compressed): uint8 data with 1 to 4 dimensions.
// Throws InputError naming the file for a missing, truncated or malformed file.
at::Tensor readIdx(const std::string& path);

// An images file ([N, H, W] or [N, C, H, W]) with its labels file: checks they agree.
Dataset readIdxPair(const std::string& imagesPath, const std::string& labelsPath,
                    const std::string& name);

// `dir/stem` or `dir/stem.gz`, whichever exists (the raw name when neither does, so the
// error names what was looked for).
std::string findIdxFile(const std::string& dir, const std::string& stem);

}  // namespace sn
