#include "core/space/presets.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/space/embedded_resources.h"
#include "core/space/search_space.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

std::vector<std::string> names(const std::map<std::string, const char*>& table) {
  std::vector<std::string> out;
  for (const auto& [name, text] : table) out.push_back(name);
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::vector<std::string> spacePresetNames() { return names(embeddedSpaces()); }
std::vector<std::string> templateNames() { return names(embeddedTemplates()); }

SearchSpace spacePreset(const std::string& name) {
  const auto& table = embeddedSpaces();
  const auto it = table.find(name);
  if (it == table.end()) {
    throw InputError("unknown search space '" + name + "' (known: " + joined(names(table)) + ")");
  }
  return SearchSpace::fromJson(nlohmann::json::parse(it->second), "preset " + name);
}

nlohmann::json projectTemplate(const std::string& name) {
  const auto& table = embeddedTemplates();
  const auto it = table.find(name);
  if (it == table.end()) {
    throw InputError("unknown template '" + name + "' (known: " + joined(names(table)) + ")");
  }
  return nlohmann::json::parse(it->second);
}

}  // namespace sn
