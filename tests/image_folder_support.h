#pragma once
// Image folders written at test time from real Fashion-MNIST images (tst_image_import,
// tst_run_transfer).
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "core/data/idx_reader.h"
#include "test_support.h"

namespace sn::test {

// Fashion-MNIST's test images and labels, read once.
struct Source {
  at::Tensor images;  // [N, 28, 28] uint8
  at::Tensor labels;
  Source() {
    images = readIdx(findIdxFile(fashionMnistDir(), "t10k-images-idx3-ubyte"));
    labels = readIdx(findIdxFile(fashionMnistDir(), "t10k-labels-idx1-ubyte")).to(torch::kInt64);
  }
  cv::Mat grey(int64_t i) const {
    return cv::Mat(28, 28, CV_8UC1, images[i].contiguous().data_ptr<uint8_t>()).clone();
  }
  // The first `n` images of Fashion-MNIST class `label`.
  std::vector<int64_t> ofClass(int label, int n) const {
    std::vector<int64_t> out;
    for (int64_t i = 0; i < labels.size(0) && static_cast<int>(out.size()) < n; ++i) {
      if (labels[i].item<int64_t>() == label) out.push_back(i);
    }
    return out;
  }
};

inline const Source& source() {
  static const Source s;
  return s;
}

inline void write(const std::string& path, const cv::Mat& image, std::vector<int> params = {}) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  QVERIFY2(cv::imwrite(path, image, params), path.c_str());
}

// A folder of `perClass` images for each class name -> Fashion-MNIST label, PNG (exact),
// written grey at 28x28.
inline void writeClasses(const std::string& root, const std::map<std::string, int>& classes,
                         int perClass) {
  for (const auto& [name, label] : classes) {
    int k = 0;
    for (int64_t i : source().ofClass(label, perClass)) {
      write(root + "/" + name + "/img" + std::to_string(k++) + ".png", source().grey(i));
    }
  }
}

}  // namespace sn::test
