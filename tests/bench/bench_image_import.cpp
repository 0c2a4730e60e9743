// Image folders, measured: import rate of an N-image folder (JPEG, written here from
// Fashion-MNIST's training images as 112x112 RGB, tinted per class), and one training epoch
// from the memory-mapped cache against the same images in memory.
//   bench_image_import [--images N] [--resolution R] [--dir D] [--epoch-images M]
// Prints one JSON object. Numbers, not assertions: see the closing note of issue 21.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <fstream>
#include <string>
#include <thread>

#include "core/data/idx_reader.h"
#include "core/project/image_import.h"
#include "core/project/workbench.h"

using namespace sn;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void writeFolder(const std::string& root, int64_t n) {
  const char* dir = std::getenv("SN_FASHION_MNIST_DIR");
  const std::string data = dir && *dir ? dir : kDebianFashionMnistDir;
  const at::Tensor images = readIdx(findIdxFile(data, "train-images-idx3-ubyte"));
  const at::Tensor labels = readIdx(findIdxFile(data, "train-labels-idx1-ubyte"));
  for (int64_t i = 0; i < n; ++i) {
    const int label = labels[i % labels.size(0)].item<int>();
    cv::Mat grey(28, 28, CV_8UC1, images[i % images.size(0)].contiguous().data_ptr<uint8_t>());
    cv::Mat big, rgb;
    cv::resize(grey, big, cv::Size(112, 112), 0, 0, cv::INTER_LINEAR);
    cv::cvtColor(big, rgb, cv::COLOR_GRAY2BGR);
    rgb = rgb.mul(cv::Scalar(1.0, 0.6 + 0.04 * label, 1.0 - 0.05 * label));
    const std::string folder = root + "/class" + std::to_string(label);
    fs::create_directories(folder);
    cv::imwrite(folder + "/" + std::to_string(i) + ".jpg", rgb, {cv::IMWRITE_JPEG_QUALITY, 90});
  }
}

// Seconds for `steps` sandwich steps on `config`'s data, the images as loaded (memory map)
// or copied into memory first.
double trainSeconds(const ProjectConfig& config, bool inMemory, int steps) {
  Workbench w = Workbench::prepare(config, "cpu", 0, 1);
  if (inMemory) {
    Dataset copy = w.train->data();
    copy.images = copy.images.contiguous();
    const BatchLoader loader(copy, w.train->mean(), w.train->stddev());
    w.trainer = std::make_unique<Trainer>(w.trainer->net(), config.recipe, loader, 1);
    w.trainer->step();  // warm-up
    const auto t = Clock::now();
    for (int s = 0; s < steps; ++s) w.trainer->step();
    return since(t);
  }
  w.trainer->step();
  const auto t = Clock::now();
  for (int s = 0; s < steps; ++s) w.trainer->step();
  return since(t);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 20000;
  int resolution = 32, steps = 20;
  std::string dir = "/tmp/sn-image-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--images") n = std::stoll(value);
    if (flag == "--resolution") resolution = std::stoi(value);
    if (flag == "--dir") dir = value;
    if (flag == "--steps") steps = std::stoi(value);
  }
  const std::string root = dir + "/photos";
  if (!fs::exists(root + "/.complete")) {
    fs::remove_all(dir);
    writeFolder(root, n);
    std::ofstream(root + "/.complete");
  }
  fs::remove_all(dir + "/proj");
  Project project = Project::create(dir + "/proj", "fmnist-small");
  ImageImportRequest request;
  request.root = root;
  request.cache.resolution = resolution;
  const auto t = Clock::now();
  const ImageImportReport report = importImages(project, request, {}, nullptr);
  const double importSeconds = since(t);
  // Alternated, twice each: the first Workbench of a process pays warm-up the second does not.
  double mapped = 0, memory = 0;
  for (int round = 0; round < 2; ++round) {
    mapped += trainSeconds(project.config(), false, steps) / 2;
    memory += trainSeconds(project.config(), true, steps) / 2;
  }
  const nlohmann::json out = {
      {"images", report.images},
      {"resolution", resolution},
      {"threads", static_cast<int>(std::thread::hardware_concurrency())},
      {"import_seconds", importSeconds},
      {"import_images_per_s", report.images / importSeconds},
      {"train_steps", steps},
      {"step_ms_memory_map", 1000 * mapped / steps},
      {"step_ms_in_memory", 1000 * memory / steps},
      {"memory_map_over_in_memory", mapped / memory}};
  std::printf("%s\n", out.dump(2).c_str());
}
