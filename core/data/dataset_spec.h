#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/data/synthetic_spec.h"
#include "core/space/search_space.h"

namespace sn {

// Where a project's data comes from. kind: "fashion-mnist" (Debian's dataset-fashion-mnist,
// or SN_FASHION_MNIST_DIR, or `dir`), "idx" (an IDX pair per split in `dir`, Fashion-MNIST
// file names, raw or .gz), "cifar10" (CIFAR-10 binary folder `dir`), "images" (an image
// folder decoded by `supernet-cli import-images` into the cache folder `dir`), "synthetic".
struct DatasetSpec {
  std::string kind = "fashion-mnist";
  std::string dir;
  int64_t trainLimit = 0;  // use only the first N training samples (0: all)
  int64_t testLimit = 0;
  // The test split starts this far in. Not part of a project's config: a predictor study
  // evaluates again on the next testLimit images to see how much the subset moves a ranking.
  int64_t testOffset = 0;
  SyntheticSpec synthetic;

  nlohmann::json toJson() const;
  static DatasetSpec fromJson(const nlohmann::json& j, const std::string& origin);
  // The folder that will be read (after SN_FASHION_MNIST_DIR and defaults).
  std::string resolvedDir() const;
};

// The network shape the data gives (channels, resolution, classes) without loading the
// training images: what a viewer needs to count a subnet's MACs. InputError as above.
NetShape datasetShape(const DatasetSpec& spec);

constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

}  // namespace sn
