#pragma once
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sn {

struct SearchSpace;

// Search-space presets and project templates from resources/, embedded at build time.
std::vector<std::string> spacePresetNames();
std::vector<std::string> templateNames();
// Throw InputError listing the known names when `name` is unknown.
SearchSpace spacePreset(const std::string& name);
nlohmann::json projectTemplate(const std::string& name);

}  // namespace sn
