#pragma once
#include <cstdint>

#include "core/data/dataset.h"

namespace sn {

struct SyntheticSpec {
  int64_t samples = 1024;
  int channels = 1;
  int resolution = 28;
  int classes = 10;
  uint64_t seed = 0;
};

// A learnable random dataset for tests and benchmarks: each class is a fixed random
// pattern, each sample that pattern plus noise. Same spec and seed, same data.
Dataset makeSyntheticDataset(const SyntheticSpec& spec);

}  // namespace sn
