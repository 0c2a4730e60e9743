#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sn {

struct SearchSpace;

// The active blocks of one elastic stage: block b uses kernels[b] and expands[b];
// depth() == kernels.size(). Skipped blocks are not stored, so equal networks compare equal.
struct StageArch {
  std::vector<int> kernels;
  std::vector<int> expands;
  int depth() const { return static_cast<int>(kernels.size()); }
  bool operator==(const StageArch& o) const {
    return kernels == o.kernels && expands == o.expands;
  }
};

// One subnet of a search space. Canonical text form, grouped by stage:
//   d=2,3,4 k=3,5|7,3,3|5,5,3,7 e=3,4|6,6,3|4,4,4,4
// Parsing also takes flat lists of every block (Once-for-All's layout; skipped blocks'
// values ignored), and the names `max` and `min`.
struct Arch {
  std::vector<StageArch> stages;

  bool operator==(const Arch& o) const { return stages == o.stages; }
  bool operator!=(const Arch& o) const { return !(*this == o); }

  std::string toText() const;
  nlohmann::json toJson() const;
  // Once-for-All's {"ks": [...], "e": [...], "d": [...]}: flat lists over every block of the
  // space, skipped blocks filled with the smallest choice.
  nlohmann::json toOfaJson(const SearchSpace& space) const;
  // 16 hex digits of a 64-bit FNV-1a hash of the canonical text; stable across builds.
  std::string hash() const;

  // Throws InputError naming the offending stage, block and value.
  void validate(const SearchSpace& space) const;

  static Arch parse(const std::string& text, const SearchSpace& space);
  // Our JSON form ({"d","k","e"} nested per stage) or Once-for-All's flat {"ks","e","d"}.
  static Arch fromJson(const nlohmann::json& j, const SearchSpace& space);
  static Arch largest(const SearchSpace& space);
  static Arch smallest(const SearchSpace& space);
  static Arch sample(const SearchSpace& space, std::mt19937_64& rng);
};

}  // namespace sn
