#include "core/search/predictor_features.h"

#include "core/space/arch.h"
#include "core/space/cost_model.h"

namespace sn {
namespace {

int totalDepth(const Arch& arch) {
  int depth = 0;
  for (const StageArch& s : arch.stages) depth += s.depth();
  return depth;
}

}  // namespace

PredictorFeatures::PredictorFeatures(const SearchSpace& space, const NetShape& shape, bool withCost)
    : encoding_(space), space_(space), shape_(shape), withCost_(withCost) {
  if (!withCost) return;
  const Arch largest = Arch::largest(space);
  const Cost cost = computeCost(space, largest, shape);
  maxMacs_ = static_cast<double>(cost.macs);
  maxParams_ = static_cast<double>(cost.params);
  maxDepth_ = totalDepth(largest);
}

std::vector<double> PredictorFeatures::encode(const Arch& arch) const {
  std::vector<double> x = encoding_.encode(arch);
  if (withCost_) {
    const Cost cost = computeCost(space_, arch, shape_);
    x.push_back(static_cast<double>(cost.macs) / maxMacs_);
    x.push_back(static_cast<double>(cost.params) / maxParams_);
    x.push_back(totalDepth(arch) / maxDepth_);
  }
  return x;
}

FeatureRows PredictorFeatures::encodeAll(const std::vector<Arch>& archs) const {
  FeatureRows rows;
  rows.reserve(archs.size());
  for (const Arch& a : archs) rows.push_back(encode(a));
  return rows;
}

}  // namespace sn
