#pragma once
#include <climits>
#include <limits>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/util/input_error.h"

namespace sn {

// Whole numbers from a user's JSON. nlohmann's get<int>() casts whatever number it finds:
// 2.5 silently becomes 2, and 1e30 is a float-to-int conversion out of range (undefined
// behaviour; the fuzzer found it). These accept only integers that fit the type asked for.

// Whether v is an integer (not a float) within T's range.
template <typename T>
bool fitsWhole(const nlohmann::json& v) {
  using L = std::numeric_limits<T>;
  if (v.is_number_unsigned()) return v.get<uint64_t>() <= static_cast<uint64_t>(L::max());
  if (!v.is_number_integer()) return false;
  const int64_t i = v.get<int64_t>();
  return i >= static_cast<int64_t>(L::min()) && (i < 0 || static_cast<uint64_t>(i) <= static_cast<uint64_t>(L::max()));
}

template <typename T>
T asWhole(const nlohmann::json& v) {
  return v.is_number_unsigned() ? static_cast<T>(v.get<uint64_t>()) : static_cast<T>(v.get<int64_t>());
}

// v as an int; InputError "WHAT must be a whole number" otherwise.
inline int jsonInt(const nlohmann::json& v, const std::string& what) {
  if (!fitsWhole<int>(v)) throw InputError(what + " must be a whole number, not " + v.dump());
  return asWhole<int>(v);
}

inline std::vector<int> jsonInts(const nlohmann::json& v, const std::string& what) {
  if (!v.is_array()) throw InputError(what + " must be a list of whole numbers");
  std::vector<int> out;
  for (const auto& item : v) out.push_back(jsonInt(item, what));
  return out;
}

// `j[key]` as a whole number of type T, or `fallback` when j has no such key. A float, a
// number out of T's range or another type is an InputError naming `where` and the key (a
// plain j.value(key, fallback) casts 2.2e45 to an integer: undefined behaviour, found by
// fuzz_config).
template <typename T>
T jsonWhole(const nlohmann::json& j, const char* key, T fallback, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const nlohmann::json& v = j[key];
  if (!fitsWhole<T>(v)) {
    using L = std::numeric_limits<T>;
    throw InputError(where + ": '" + key + "' must be a whole number from " + std::to_string(L::min()) +
                     " to " + std::to_string(L::max()) + ", not " + v.dump());
  }
  return asWhole<T>(v);
}

}  // namespace sn
