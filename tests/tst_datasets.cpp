// Dataset readers on the real Fashion-MNIST files and on broken copies of them.
#include <QtTest>
#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/data/batch_loader.h"
#include "core/data/cifar10_reader.h"
#include "core/data/dataset_pair.h"
#include "core/data/dataset_spec.h"
#include "core/data/idx_reader.h"
#include "core/util/input_error.h"
#include "test_support.h"

using namespace sn;
using test::errorOf;
namespace fs = std::filesystem;

using namespace std::string_literals;

namespace {

std::string gunzip(const std::string& gz) {
  gzFile f = gzopen(gz.c_str(), "rb");
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, n);
  gzclose(f);
  return out;
}

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
}

}  // namespace

class TestDatasets : public QObject {
  Q_OBJECT

 private:
  std::string dir = test::fashionMnistDir();
  std::string trainImages() const { return findIdxFile(dir, "train-images-idx3-ubyte"); }
  std::string trainLabels() const { return findIdxFile(dir, "train-labels-idx1-ubyte"); }

 private Q_SLOTS:
  void readsFashionMnistFromDebianPackage() {
    const DatasetPair data = loadDatasets(DatasetSpec{});
    QCOMPARE(data.train.size(), int64_t(60000));
    QCOMPARE(data.test.size(), int64_t(10000));
    QCOMPARE(data.train.images.sizes(), (torch::IntArrayRef{60000, 1, 28, 28}));
    QCOMPARE(data.train.classes, 10);
    QCOMPARE(data.train.labels.min().item<int64_t>(), int64_t(0));
    QCOMPARE(data.train.labels.max().item<int64_t>(), int64_t(9));
    // Balanced: 6000 of each class in the training split.
    QCOMPARE(torch::bincount(data.train.labels)[3].item<int64_t>(), int64_t(6000));
    QCOMPARE(data.train.classNames.at(9), std::string("Ankle boot"));
  }

  void rawAndGzipFilesReadTheSame() {
    test::Scratch s;
    writeBytes(s.path("labels"), gunzip(trainLabels()));
    QVERIFY(torch::equal(readIdx(s.path("labels")), readIdx(trainLabels())));
  }

  void limitsTakeTheFirstSamples() {
    DatasetSpec spec;
    spec.trainLimit = 2000;
    spec.testLimit = 500;
    const DatasetPair data = loadDatasets(spec);
    QCOMPARE(data.train.size(), int64_t(2000));
    QCOMPARE(data.test.size(), int64_t(500));
  }

  void aTestOffsetTakesTheNextSamples() {
    DatasetSpec spec;
    spec.testLimit = 500;
    const Dataset first = loadDatasets(spec).test;
    spec.testOffset = 500;
    const Dataset next = loadDatasets(spec).test;
    QCOMPARE(next.size(), int64_t(500));
    spec.testLimit = 1000;
    spec.testOffset = 0;
    const Dataset both = loadDatasets(spec).test;
    QVERIFY(torch::equal(both.images.narrow(0, 0, 500), first.images));
    QVERIFY(torch::equal(both.images.narrow(0, 500, 500), next.images));
    QVERIFY(torch::equal(both.labels.narrow(0, 500, 500), next.labels));
    spec.testOffset = 10000;  // Fashion-MNIST's test split has 10,000 images
    const std::string msg = errorOf([&] { loadDatasets(spec); });
    QVERIFY2(msg.find("fashion-mnist-test: no samples from 10000 on") != std::string::npos, msg.c_str());
  }

  void truncatedFileIsRefusedNamingIt() {
    test::Scratch s;
    const std::string bytes = gunzip(trainImages());
    writeBytes(s.path("images"), bytes.substr(0, bytes.size() / 2));
    const std::string msg = errorOf([&] { readIdx(s.path("images")); });
    QVERIFY2(msg.find(s.path("images")) == 0, msg.c_str());
    QVERIFY2(msg.find("truncated") != std::string::npos, msg.c_str());
  }

  // A header is read before its data is allocated: one that declares more than the file can
  // hold (here 2^32-1 cubed bytes, which also overflowed the count) is refused, not allocated.
  void aHeaderDeclaringMoreThanTheFileHoldsIsRefused() {
    test::Scratch s;
    const std::string forged = "\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"s + "data";
    writeBytes(s.path("forged"), forged);
    const std::string msg = errorOf([&] { readIdx(s.path("forged")); });
    QVERIFY2(msg.find(s.path("forged") + ": file is truncated") == 0, msg.c_str());
    // A raw file one byte short of its header's 2x2 images.
    writeBytes(s.path("short"), "\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x02" "abc"s);
    QVERIFY(errorOf([&] { readIdx(s.path("short")); }).find("truncated") != std::string::npos);
    writeBytes(s.path("whole"), "\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x02" "abcd"s);
    QCOMPARE(readIdx(s.path("whole")).sizes(), (at::IntArrayRef{1, 2, 2}));
  }

  void wrongMagicIsRefusedNamingIt() {
    test::Scratch s;
    std::string bytes = gunzip(trainLabels());
    bytes[2] = 0x0D;  // float data, not unsigned bytes
    writeBytes(s.path("labels"), bytes);
    const std::string msg = errorOf([&] { readIdx(s.path("labels")); });
    QVERIFY2(msg.find(s.path("labels")) == 0 && msg.find("magic") != std::string::npos,
             msg.c_str());
  }

  void missingFileIsRefusedNamingIt() {
    const std::string msg = errorOf([] { readIdx("/nonexistent/train-images-idx3-ubyte"); });
    QVERIFY2(msg.find("/nonexistent/train-images-idx3-ubyte: file not found") == 0, msg.c_str());
    DatasetSpec spec;
    spec.kind = "idx";
    spec.dir = "/nonexistent";
    QVERIFY(errorOf([&] { loadDatasets(spec); }).find("/nonexistent/") == 0);
  }

  void mismatchedLabelCountIsRefused() {
    test::Scratch s;
    const std::string labels = gunzip(trainLabels());
    std::string shorter = labels.substr(0, 8 + 100);
    shorter[7] = 100;  // header says 100 labels
    shorter[6] = 0;
    shorter[5] = 0;
    shorter[4] = 0;
    writeBytes(s.path("labels"), shorter);
    const std::string msg =
        errorOf([&] { readIdxPair(trainImages(), s.path("labels"), "x"); });
    QVERIFY2(msg.find("100 labels for 60000 images") != std::string::npos, msg.c_str());
  }

  void readsCifar10BinaryRecords() {
    test::Scratch s;
    std::string record(3073, '\0');
    std::string batch;
    for (int i = 0; i < 20; ++i) {
      record[0] = static_cast<char>(i % 10);
      record[1] = static_cast<char>(i);  // first red pixel
      batch += record;
    }
    for (int i = 1; i <= 5; ++i) writeBytes(s.path("data_batch_" + std::to_string(i) + ".bin"), batch);
    writeBytes(s.path("test_batch.bin"), batch);
    const Dataset train = readCifar10(s.path(), true);
    QCOMPARE(train.size(), int64_t(100));
    QCOMPARE(train.images.sizes(), (torch::IntArrayRef{100, 3, 32, 32}));
    QCOMPARE(train.labels[13].item<int64_t>(), int64_t(3));
    QCOMPARE(train.images[13][0][0][0].item<uint8_t>(), uint8_t(13));
    DatasetSpec spec;  // what the New Project wizard checks: the files, no image read
    spec.kind = "cifar10";
    spec.dir = s.path();
    QCOMPARE(datasetShape(spec).channels, 3);
    writeBytes(s.path("test_batch.bin"), batch.substr(0, 5000));
    QVERIFY(errorOf([&] { readCifar10(s.path(), false); }).find("whole number") != std::string::npos);
    QVERIFY(errorOf([&] { datasetShape(spec); }).find("test_batch.bin: size 5000") != std::string::npos);
    std::filesystem::remove(s.path("data_batch_3.bin"));
    QVERIFY(errorOf([&] { datasetShape(spec); }).find("data_batch_3.bin: file not found") != std::string::npos);
  }

  void augmentationKeepsShapeAndPixelsAndIsSeeded() {
    const torch::Tensor x = torch::rand({16, 1, 28, 28});
    torch::manual_seed(4);
    const torch::Tensor a = augmentBatch(x, {2, true});
    torch::manual_seed(4);
    const torch::Tensor b = augmentBatch(x, {2, true});
    QVERIFY(torch::equal(a, b));
    QCOMPARE(a.sizes(), x.sizes());
    QVERIFY(!torch::equal(a, x));
    // Each crop moves a sample by at most the padding: the centre pixel stays in range.
    QVERIFY(a.max().item<float>() <= x.max().item<float>());
  }

  void epochOrderDependsOnlyOnSeedAndEpoch() {
    QVERIFY(torch::equal(BatchLoader::epochOrder(1000, 1, 3), BatchLoader::epochOrder(1000, 1, 3)));
    QVERIFY(!torch::equal(BatchLoader::epochOrder(1000, 1, 3), BatchLoader::epochOrder(1000, 1, 4)));
    QCOMPARE(std::get<0>(torch::sort(BatchLoader::epochOrder(1000, 1, 3))).sum().item<int64_t>(),
             int64_t(999 * 1000 / 2));
  }
};

QTEST_APPLESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
