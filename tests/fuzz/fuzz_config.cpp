// libFuzzer harness: a project config (as stored in a project database or a run's config,
// or written by hand) from any text. Refusals are InputError; an accepted config survives
// toJson -> fromJson unchanged.
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/project/project_config.h"
#include "core/util/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sn::ProjectConfig c = sn::ProjectConfig::fromText(text, "fuzz");
    const nlohmann::json once = c.toJson();
    if (sn::ProjectConfig::fromJson(once, "fuzz").toJson() != once) std::abort();
  } catch (const sn::InputError&) {
  }
  return 0;
}
