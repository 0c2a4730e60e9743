// libFuzzer harness: the IDX reader (raw or gzip) over any bytes. Refusals are InputError; an
// accepted file holds exactly the data its header declares.
#include <cstdlib>

#include <ATen/ATen.h>

#include "core/data/idx_reader.h"
#include "core/util/input_error.h"
#include "tests/fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = sn::fuzz::writeInput("input.idx", data, size);
  try {
    const at::Tensor t = sn::readIdx(path);
    if (t.scalar_type() != at::kByte || t.dim() < 1 || t.dim() > 4 || t.numel() <= 0) std::abort();
    // A raw file must hold the header, the dimensions and the data (gzip inflates, so its
    // bound is looser: the reader's own 1032:1 limit).
    const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    const size_t declared = 4 + 4 * size_t(t.dim()) + size_t(t.numel());
    if (!gzip && declared > size) std::abort();
  } catch (const sn::InputError&) {
  }
  return 0;
}
