#pragma once
#include "core/data/dataset.h"
#include "core/data/dataset_spec.h"

namespace sn {

struct DatasetPair {
  Dataset train;
  Dataset test;
};

// Loads both splits of `spec` on the CPU. InputError names the file and the problem.
DatasetPair loadDatasets(const DatasetSpec& spec);

}  // namespace sn
