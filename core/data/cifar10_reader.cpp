#include "core/data/cifar10_reader.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "core/util/input_error.h"

namespace sn {
namespace {

constexpr int64_t kImageBytes = 3 * 32 * 32;
constexpr int64_t kRecordBytes = 1 + kImageBytes;

at::Tensor readRecords(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": file not found");
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  if (bytes == 0 || bytes % kRecordBytes != 0) {
    throw InputError(path + ": size " + std::to_string(bytes) +
                     " is not a whole number of CIFAR-10 records (3073 bytes each); the file is "
                     "truncated or not CIFAR-10 binary");
  }
  at::Tensor raw = torch::empty({bytes / kRecordBytes, kRecordBytes}, torch::kUInt8);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(static_cast<char*>(raw.data_ptr()), bytes)) {
    throw InputError(path + ": cannot read file");
  }
  return raw;
}

}  // namespace

Dataset readCifar10(const std::string& dir, bool train) {
  std::vector<std::string> files;
  if (train) {
    for (int i = 1; i <= 5; ++i) files.push_back(dir + "/data_batch_" + std::to_string(i) + ".bin");
  } else {
    files.push_back(dir + "/test_batch.bin");
  }
  std::vector<at::Tensor> parts;
  for (const auto& f : files) parts.push_back(readRecords(f));
  at::Tensor raw = torch::cat(parts);
  Dataset ds;
  ds.name = train ? "cifar10-train" : "cifar10-test";
  ds.labels = raw.select(1, 0).to(torch::kInt64).contiguous();
  if (ds.labels.max().item<int64_t>() > 9) {
    throw InputError(dir + ": a label above 9; these files are not CIFAR-10 binary");
  }
  ds.images = raw.narrow(1, 1, kImageBytes).reshape({-1, 3, 32, 32}).contiguous();
  ds.classes = 10;
  ds.classNames = cifar10ClassNames();
  return ds;
}

}  // namespace sn
