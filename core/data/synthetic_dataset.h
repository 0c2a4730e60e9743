#pragma once
#include <cstdint>

#include "core/data/dataset.h"
#include "core/data/synthetic_spec.h"

namespace sn {

// A learnable random dataset for tests and benchmarks: each class is a fixed random
// pattern, each sample that pattern plus noise. Same spec and seed, same data.
Dataset makeSyntheticDataset(const SyntheticSpec& spec);

}  // namespace sn
