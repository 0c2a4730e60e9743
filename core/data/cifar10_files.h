#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sn {

constexpr int64_t kCifar10RecordBytes = 1 + 3 * 32 * 32;  // a label byte, then the image

// The CIFAR-10 binary files of `dir` (train: data_batch_1..5.bin, test: test_batch.bin), each
// checked to exist and to hold whole records; InputError names the file otherwise. Reads no
// image: cheap enough for a dialog to call as the user types.
std::vector<std::string> cifar10Files(const std::string& dir, bool train);

}  // namespace sn
