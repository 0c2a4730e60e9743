// libFuzzer harness: the arch text parser over ofa-mbv3 (any text; refusals are InputError)
// and the round trip of whatever it accepts: parse(toText(a)) == a.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/space/arch.h"
#include "core/space/presets.h"
#include "core/space/search_space.h"
#include "core/util/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sn::SearchSpace space = sn::spacePreset("ofa-mbv3");
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sn::Arch a = sn::Arch::parse(text, space);
    if (sn::Arch::parse(a.toText(), space) != a) std::abort();
  } catch (const sn::InputError&) {
  }
  return 0;
}
