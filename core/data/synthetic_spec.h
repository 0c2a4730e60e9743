#pragma once
#include <cstdint>

namespace sn {

// A learnable random dataset's shape and seed (see makeSyntheticDataset).
struct SyntheticSpec {
  int64_t samples = 1024;
  int channels = 1;
  int resolution = 28;
  int classes = 10;
  uint64_t seed = 0;
};

}  // namespace sn
