#include "core/data/dataset_pair.h"

#include "core/data/cifar10_reader.h"
#include "core/data/idx_reader.h"
#include "core/data/image_cache_reader.h"
#include "core/data/synthetic_dataset.h"

namespace sn {

DatasetPair loadDatasets(const DatasetSpec& spec) {
  DatasetPair pair;
  if (spec.kind == "synthetic") {
    // One draw split in two, so both splits share the class patterns.
    SyntheticSpec all = spec.synthetic;
    const int64_t testSamples = std::max<int64_t>(all.samples / 4, 1);
    all.samples += testSamples;
    const Dataset full = makeSyntheticDataset(all);
    pair.train = full.head(spec.synthetic.samples);
    pair.test = full;
    pair.test.images = full.images.narrow(0, spec.synthetic.samples, testSamples);
    pair.test.labels = full.labels.narrow(0, spec.synthetic.samples, testSamples);
  } else if (spec.kind == "cifar10") {
    pair.train = readCifar10(spec.dir, true);
    pair.test = readCifar10(spec.dir, false);
  } else if (spec.kind == "images") {
    pair.train = readImageCache(spec.dir, "train");
    pair.test = readImageCache(spec.dir, "val");
  } else {
    const std::string dir = spec.resolvedDir();
    const std::string name = spec.kind == "fashion-mnist" ? "fashion-mnist" : "idx";
    pair.train = readIdxPair(findIdxFile(dir, "train-images-idx3-ubyte"),
                             findIdxFile(dir, "train-labels-idx1-ubyte"), name + "-train");
    pair.test = readIdxPair(findIdxFile(dir, "t10k-images-idx3-ubyte"),
                            findIdxFile(dir, "t10k-labels-idx1-ubyte"), name + "-test");
    pair.test.classes = pair.train.classes = std::max(pair.train.classes, pair.test.classes);
    if (spec.kind == "fashion-mnist") {
      pair.train.classNames = pair.test.classNames = fashionMnistClassNames();
    }
  }
  pair.train = pair.train.head(spec.trainLimit);
  pair.test = pair.test.slice(spec.testOffset, spec.testLimit);
  return pair;
}

}  // namespace sn
