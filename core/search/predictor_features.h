#pragma once
#include <vector>

#include "core/search/arch_encoding.h"
#include "core/search/row_regressor.h"
#include "core/space/search_space.h"

namespace sn {

struct Arch;

// What a predictor candidate sees of an arch: Once-for-All's one-hot encoding and, with
// `withCost`, three cost features (MACs, params, total depth, each as a share of the
// largest subnet's), which let a model follow what grows smoothly with size.
class PredictorFeatures {
 public:
  PredictorFeatures(const SearchSpace& space, const NetShape& shape, bool withCost);

  std::vector<double> encode(const Arch& arch) const;
  FeatureRows encodeAll(const std::vector<Arch>& archs) const;

 private:
  ArchEncoding encoding_;
  SearchSpace space_;
  NetShape shape_;
  bool withCost_;
  double maxMacs_ = 1, maxParams_ = 1, maxDepth_ = 1;
};

}  // namespace sn
