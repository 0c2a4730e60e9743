#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sn {

// One config key whose value is not the same in every compared run. Values are compact
// JSON; nothing where a run's config lacks the key.
struct DiffRow {
  std::string key;  // dotted path, e.g. recipe.distill
  std::vector<std::optional<std::string>> values;  // one per config, in order
};

// The keys (objects flattened to dotted paths; arrays compared whole) whose values differ
// between the configs, sorted by key. Identical configs give no rows.
std::vector<DiffRow> recipeDiff(const std::vector<nlohmann::json>& configs);

}  // namespace sn
