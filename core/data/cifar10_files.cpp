#include "core/data/cifar10_files.h"

#include <filesystem>

#include "core/util/input_error.h"

namespace sn {

std::vector<std::string> cifar10Files(const std::string& dir, bool train) {
  std::vector<std::string> files;
  if (train) {
    for (int i = 1; i <= 5; ++i) files.push_back(dir + "/data_batch_" + std::to_string(i) + ".bin");
  } else {
    files.push_back(dir + "/test_batch.bin");
  }
  for (const std::string& path : files) {
    if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": file not found");
    const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
    if (bytes == 0 || bytes % kCifar10RecordBytes != 0) {
      throw InputError(path + ": size " + std::to_string(bytes) +
                       " is not a whole number of CIFAR-10 records (3073 bytes each); the file is "
                       "truncated or not CIFAR-10 binary");
    }
  }
  return files;
}

}  // namespace sn
