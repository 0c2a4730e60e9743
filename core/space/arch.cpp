#include "core/space/arch.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/space/search_space.h"
#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {
namespace {

using nlohmann::json;

std::string joinInts(const std::vector<int>& values, char sep) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += sep;
    out += std::to_string(values[i]);
  }
  return out;
}

std::string choicesText(const std::vector<int>& values) {
  return "{" + joinInts(values, ',') + "}";
}

std::vector<int> parseInts(const std::string& text, const std::string& what) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      out.push_back(std::stoi(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw InputError("arch: '" + item + "' in " + what + " is not an integer");
    }
  }
  return out;
}

// "3,5|7,3,3" -> per-stage lists; a flat "3,5,7,3,..." -> per-stage lists cut by max depth.
std::vector<std::vector<int>> perStage(const std::string& text, const std::vector<int>& depths,
                                       const SearchSpace& space, const std::string& what) {
  std::vector<std::vector<int>> stages;
  if (text.find('|') != std::string::npos) {
    std::stringstream ss(text);
    std::string group;
    while (std::getline(ss, group, '|')) stages.push_back(parseInts(group, what));
    if (stages.size() != depths.size()) {
      throw InputError("arch: " + what + " has " + std::to_string(stages.size()) +
                       " stage groups, the space has " + std::to_string(depths.size()));
    }
    return stages;
  }
  const std::vector<int> flat = parseInts(text, what);
  const size_t full = static_cast<size_t>(space.maxDepth()) * depths.size();
  size_t active = 0;
  for (int d : depths) active += std::max(d, 0);
  if (flat.size() != full && flat.size() != active) {
    throw InputError("arch: " + what + " lists " + std::to_string(flat.size()) +
                     " values; expected " + std::to_string(full) + " (every block) or " +
                     std::to_string(active) + " (active blocks)");
  }
  const size_t stride = flat.size() == full ? space.maxDepth() : 0;
  size_t pos = 0;
  for (int d : depths) {
    const size_t take = static_cast<size_t>(std::max(d, 0));
    if (pos + take > flat.size()) throw InputError("arch: " + what + " is too short");
    stages.emplace_back(flat.begin() + pos, flat.begin() + pos + take);
    pos += stride ? stride : take;
  }
  return stages;
}

Arch assemble(const std::vector<int>& depths, const std::vector<std::vector<int>>& kernels,
              const std::vector<std::vector<int>>& expands, const SearchSpace& space) {
  if (static_cast<int>(depths.size()) != space.stageCount()) {
    throw InputError("arch: " + std::to_string(depths.size()) + " depths given, space '" +
                     space.name + "' has " + std::to_string(space.stageCount()) + " stages");
  }
  Arch arch;
  for (size_t s = 0; s < depths.size(); ++s) {
    StageArch st{kernels.at(s), expands.at(s)};
    if (st.depth() != depths[s] || static_cast<int>(st.expands.size()) != depths[s]) {
      throw InputError("arch: stage " + std::to_string(s + 1) + " has depth " +
                       std::to_string(depths[s]) + " but " + std::to_string(st.kernels.size()) +
                       " kernels and " + std::to_string(st.expands.size()) + " expands");
    }
    arch.stages.push_back(std::move(st));
  }
  arch.validate(space);
  return arch;
}

Arch uniform(const SearchSpace& space, int depth, int kernel, int expand) {
  Arch arch;
  for (int s = 0; s < space.stageCount(); ++s) {
    arch.stages.push_back({std::vector<int>(depth, kernel), std::vector<int>(depth, expand)});
  }
  return arch;
}

template <typename T>
const T& pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

}  // namespace

std::string Arch::toText() const {
  std::string d, k, e;
  for (size_t s = 0; s < stages.size(); ++s) {
    if (s) {
      d += ',';
      k += '|';
      e += '|';
    }
    d += std::to_string(stages[s].depth());
    k += joinInts(stages[s].kernels, ',');
    e += joinInts(stages[s].expands, ',');
  }
  return "d=" + d + " k=" + k + " e=" + e;
}

json Arch::toJson() const {
  json d = json::array(), k = json::array(), e = json::array();
  for (const StageArch& st : stages) {
    d.push_back(st.depth());
    k.push_back(st.kernels);
    e.push_back(st.expands);
  }
  return {{"d", d}, {"k", k}, {"e", e}};
}

json Arch::toOfaJson(const SearchSpace& space) const {
  std::vector<int> ks, es, ds;
  for (const StageArch& st : stages) {
    ds.push_back(st.depth());
    for (int b = 0; b < space.maxDepth(); ++b) {
      ks.push_back(b < st.depth() ? st.kernels[b] : space.kernels.front());
      es.push_back(b < st.depth() ? st.expands[b] : space.expands.front());
    }
  }
  return {{"ks", ks}, {"e", es}, {"d", ds}};
}

std::string Arch::hash() const {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a offset basis
  for (unsigned char c : toText()) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void Arch::validate(const SearchSpace& space) const {
  if (static_cast<int>(stages.size()) != space.stageCount()) {
    throw InputError("arch: has " + std::to_string(stages.size()) + " stages, space '" +
                     space.name + "' has " + std::to_string(space.stageCount()));
  }
  auto allowed = [](const std::vector<int>& c, int v) {
    return std::find(c.begin(), c.end(), v) != c.end();
  };
  for (size_t s = 0; s < stages.size(); ++s) {
    const std::string where = "arch: stage " + std::to_string(s + 1);
    const StageArch& st = stages[s];
    if (!allowed(space.depths, st.depth())) {
      throw InputError(where + ": depth " + std::to_string(st.depth()) + " is not one of " +
                       choicesText(space.depths));
    }
    for (int b = 0; b < st.depth(); ++b) {
      const std::string block = where + " block " + std::to_string(b + 1);
      if (!allowed(space.kernels, st.kernels[b])) {
        throw InputError(block + ": kernel " + std::to_string(st.kernels[b]) +
                         " is not one of " + choicesText(space.kernels));
      }
      if (!allowed(space.expands, st.expands[b])) {
        throw InputError(block + ": expand " + std::to_string(st.expands[b]) +
                         " is not one of " + choicesText(space.expands));
      }
    }
  }
}

Arch Arch::parse(const std::string& raw, const SearchSpace& space) {
  std::string text = raw;
  text.erase(0, text.find_first_not_of(" \t\n"));
  text.erase(text.find_last_not_of(" \t\n") + 1);
  if (text == "max") return largest(space);
  if (text == "min") return smallest(space);
  if (!text.empty() && text.front() == '{') {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) throw InputError("arch: '" + text + "' is not valid JSON");
    return fromJson(j, space);
  }
  std::string d, k, e;
  std::stringstream ss(text);
  std::string part;
  while (ss >> part) {
    const auto eq = part.find('=');
    const std::string key = part.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (key == "d") d = value;
    else if (key == "k" || key == "ks") k = value;
    else if (key == "e") e = value;
    else throw InputError("arch: unknown part '" + part + "' (expected d=..., k=..., e=...)");
  }
  if (d.empty() || k.empty() || e.empty()) {
    throw InputError("arch: '" + text + "' needs d=..., k=... and e=... (or max / min)");
  }
  const std::vector<int> depths = parseInts(d, "d");
  if (static_cast<int>(depths.size()) != space.stageCount()) {
    throw InputError("arch: " + std::to_string(depths.size()) + " depths given, space '" +
                     space.name + "' has " + std::to_string(space.stageCount()) + " stages");
  }
  for (size_t s = 0; s < depths.size(); ++s) {
    if (std::find(space.depths.begin(), space.depths.end(), depths[s]) == space.depths.end()) {
      throw InputError("arch: stage " + std::to_string(s + 1) + ": depth " +
                       std::to_string(depths[s]) + " is not one of " + choicesText(space.depths));
    }
  }
  return assemble(depths, perStage(k, depths, space, "k"), perStage(e, depths, space, "e"),
                  space);
}

Arch Arch::fromJson(const json& j, const SearchSpace& space) {
  if (!j.is_object() || !j.contains("d") || !j.contains("e") ||
      !(j.contains("k") || j.contains("ks"))) {
    throw InputError("arch JSON needs \"d\", \"e\" and \"k\" (or Once-for-All's \"ks\")");
  }
  try {
    const auto depths = jsonInts(j.at("d"), "arch JSON \"d\"");
    if (j.contains("ks")) {  // Once-for-All: flat lists over every block
      std::string ks = joinInts(jsonInts(j.at("ks"), "arch JSON \"ks\""), ',');
      std::string es = joinInts(jsonInts(j.at("e"), "arch JSON \"e\""), ',');
      return parse("d=" + joinInts(depths, ',') + " k=" + ks + " e=" + es, space);
    }
    auto nested = [&](const char* key) {
      const json& lists = j.at(key);
      if (!lists.is_array()) throw InputError(std::string("arch JSON \"") + key + "\" must be a list of lists");
      std::vector<std::vector<int>> out;
      for (const json& list : lists) out.push_back(jsonInts(list, std::string("arch JSON \"") + key + "\""));
      return out;
    };
    return assemble(depths, nested("k"), nested("e"), space);
  } catch (const json::exception& ex) {
    throw InputError(std::string("arch JSON has a value of the wrong type: ") + ex.what());
  }
}

Arch Arch::largest(const SearchSpace& space) {
  return uniform(space, space.maxDepth(), space.maxKernel(), space.maxExpand());
}

Arch Arch::smallest(const SearchSpace& space) {
  return uniform(space, space.depths.front(), space.kernels.front(), space.expands.front());
}

Arch Arch::sample(const SearchSpace& space, std::mt19937_64& rng) {
  Arch arch;
  for (int s = 0; s < space.stageCount(); ++s) {
    StageArch st;
    const int depth = pick(space.depths, rng);
    for (int b = 0; b < depth; ++b) {
      st.kernels.push_back(pick(space.kernels, rng));
      st.expands.push_back(pick(space.expands, rng));
    }
    arch.stages.push_back(std::move(st));
  }
  return arch;
}

}  // namespace sn
