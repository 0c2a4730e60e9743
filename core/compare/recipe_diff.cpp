#include "core/compare/recipe_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

namespace sn {
namespace {

void flatten(const nlohmann::json& j, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& [key, value] : j.items()) {
      flatten(value, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  out[prefix] = j.dump();
}

}  // namespace

std::vector<DiffRow> recipeDiff(const std::vector<nlohmann::json>& configs) {
  std::vector<std::map<std::string, std::string>> flat(configs.size());
  std::set<std::string> keys;  // sorted union
  for (size_t i = 0; i < configs.size(); ++i) {
    flatten(configs[i], "", flat[i]);
    for (const auto& kv : flat[i]) keys.insert(kv.first);
  }
  std::vector<DiffRow> rows;
  for (const std::string& key : keys) {
    DiffRow row{key, {}};
    for (const auto& f : flat) {
      const auto it = f.find(key);
      row.values.push_back(it == f.end() ? std::nullopt : std::optional<std::string>(it->second));
    }
    const bool same = std::all_of(row.values.begin(), row.values.end(),
                                  [&](const auto& v) { return v == row.values.front(); });
    if (!same) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace sn
