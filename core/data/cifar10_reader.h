#pragma once
#include <string>

#include "core/data/dataset.h"

namespace sn {

// CIFAR-10 binary version: `dir/data_batch_{1..5}.bin` (train) or `dir/test_batch.bin`
// (test); records of 1 label byte + 3x32x32 image bytes. InputError names a bad file.
Dataset readCifar10(const std::string& dir, bool train);

}  // namespace sn
