#include "core/data/dataset_spec.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/data/cifar10_files.h"
#include "core/data/idx_reader.h"
#include "core/data/image_cache.h"
#include "core/data/image_cache_reader.h"
#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {

using nlohmann::json;

json DatasetSpec::toJson() const {
  json j = {{"kind", kind}, {"train_limit", trainLimit}, {"test_limit", testLimit}};
  if (!dir.empty()) j["dir"] = dir;
  if (kind == "synthetic") {
    j["synthetic"] = {{"samples", synthetic.samples},       {"channels", synthetic.channels},
                      {"resolution", synthetic.resolution}, {"classes", synthetic.classes},
                      {"seed", synthetic.seed}};
  }
  return j;
}

DatasetSpec DatasetSpec::fromJson(const json& j, const std::string& origin) {
  if (!j.is_object()) throw InputError(origin + ": 'dataset' must be an object");
  DatasetSpec s;
  try {
    s.kind = j.value("kind", s.kind);
    s.dir = j.value("dir", "");
    s.trainLimit = jsonWhole(j, "train_limit", int64_t{0}, origin);
    s.testLimit = jsonWhole(j, "test_limit", int64_t{0}, origin);
    if (j.contains("synthetic")) {
      const json& y = j["synthetic"];
      s.synthetic.samples = jsonWhole(y, "samples", s.synthetic.samples, origin);
      s.synthetic.channels = jsonWhole(y, "channels", s.synthetic.channels, origin);
      s.synthetic.resolution = jsonWhole(y, "resolution", s.synthetic.resolution, origin);
      s.synthetic.classes = jsonWhole(y, "classes", s.synthetic.classes, origin);
      s.synthetic.seed = jsonWhole(y, "seed", s.synthetic.seed, origin);
    }
  } catch (const json::exception& e) {
    throw InputError(origin + ": dataset field of the wrong type (" + e.what() + ")");
  }
  if (s.kind != "fashion-mnist" && s.kind != "idx" && s.kind != "cifar10" &&
      s.kind != "images" && s.kind != "synthetic") {
    throw InputError(origin + ": unknown dataset kind '" + s.kind +
                     "' (use fashion-mnist, idx, cifar10, images or synthetic)");
  }
  if ((s.kind == "idx" || s.kind == "cifar10" || s.kind == "images") && s.dir.empty()) {
    throw InputError(origin + ": dataset kind '" + s.kind + "' needs a 'dir'");
  }
  return s;
}

std::string DatasetSpec::resolvedDir() const {
  if (!dir.empty() || kind != "fashion-mnist") return dir;
  if (const char* env = std::getenv("SN_FASHION_MNIST_DIR"); env && *env) return env;
  return kDebianFashionMnistDir;
}

NetShape datasetShape(const DatasetSpec& spec) {
  if (spec.kind == "synthetic") {
    const SyntheticSpec& s = spec.synthetic;
    return {s.channels, s.resolution, s.classes};
  }
  if (spec.kind == "cifar10") {
    cifar10Files(spec.dir, true);  // the format fixes the shape; the files must be there
    cifar10Files(spec.dir, false);
    return {3, 32, 10};
  }
  if (spec.kind == "images") {
    const ImageCacheMeta meta = ImageCacheMeta::read(spec.dir);
    return {meta.channels, meta.resolution, static_cast<int>(meta.classes.size())};
  }
  // The test images give channels and size; the training labels (60 KB) give the classes,
  // as loadDatasets counts them.
  const std::string dir = spec.resolvedDir();
  const at::Tensor images = readIdx(findIdxFile(dir, "t10k-images-idx3-ubyte"));
  const at::Tensor labels = readIdx(findIdxFile(dir, "train-labels-idx1-ubyte"));
  const int channels = images.dim() == 4 ? static_cast<int>(images.size(1)) : 1;
  const int classes = labels.numel() ? static_cast<int>(labels.max().item<uint8_t>()) + 1 : 0;
  return {channels, static_cast<int>(images.size(images.dim() - 1)), classes};
}

}  // namespace sn
