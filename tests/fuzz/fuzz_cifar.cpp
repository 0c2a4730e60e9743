// libFuzzer harness: the CIFAR-10 binary reader over any bytes as test_batch.bin. Refusals are
// InputError; an accepted file gives one 3x32x32 image and a label 0..9 per 3073-byte record.
#include <cstdlib>

#include <ATen/ATen.h>

#include "core/data/cifar10_reader.h"
#include "core/util/input_error.h"
#include "tests/fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sn::fuzz::writeInput("test_batch.bin", data, size);
  try {
    const sn::Dataset ds = sn::readCifar10(sn::fuzz::scratchDir(), /*train=*/false);
    if (size_t(ds.size()) * 3073 != size || ds.images.sizes() != at::IntArrayRef{ds.size(), 3, 32, 32})
      std::abort();
    if (ds.labels.min().item<int64_t>() < 0 || ds.labels.max().item<int64_t>() > 9) std::abort();
    if (ds.labels[0].item<int64_t>() != data[0]) std::abort();
  } catch (const sn::InputError&) {
  }
  return 0;
}
