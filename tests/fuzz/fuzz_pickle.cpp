// libFuzzer harness: PickleReader over any bytes. It may refuse (InputError), never crash,
// hang or leak; every pickle in the input is read in turn, as a legacy checkpoint is.
#include <cstddef>
#include <cstdint>

#include "core/pytorch_io/pickle_reader.h"
#include "core/util/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sn::PickleReader reader(data, size, "fuzz");
  try {
    for (int i = 0; i < 8 && reader.position() < size; ++i) reader.next();
  } catch (const sn::InputError&) {
  }
  return 0;
}
