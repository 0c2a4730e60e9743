#include "core/data/cifar10_reader.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "core/data/cifar10_files.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

constexpr int64_t kImageBytes = kCifar10RecordBytes - 1;

// One file cifar10Files checked, as [records, 3073] bytes.
at::Tensor readRecords(const std::string& path) {
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  at::Tensor raw = torch::empty({bytes / kCifar10RecordBytes, kCifar10RecordBytes}, torch::kUInt8);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(static_cast<char*>(raw.data_ptr()), bytes)) {
    throw InputError(path + ": cannot read file");
  }
  return raw;
}

}  // namespace

Dataset readCifar10(const std::string& dir, bool train) {
  std::vector<at::Tensor> parts;
  for (const auto& f : cifar10Files(dir, train)) parts.push_back(readRecords(f));
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
