// libFuzzer harness: a search space from any JSON text. Text that is not JSON, or JSON that
// is not a valid space, is refused (nlohmann's parse_error, InputError); an accepted space
// must survive toJson -> fromJson unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/space/search_space.h"
#include "core/util/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  try {
    const sn::SearchSpace s = sn::SearchSpace::fromJson(j, "fuzz");
    if (!(sn::SearchSpace::fromJson(s.toJson(), "fuzz") == s)) std::abort();
  } catch (const sn::InputError&) {
  }
  return 0;
}
