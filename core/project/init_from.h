#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/space/search_space.h"

namespace sn {

// Where a transferred run's first weights come from: another run's checkpoint (of this or
// another project, same space), pinned by its SHA-256 when the run was made. Kept in the
// run's config as "init_from".
struct InitFrom {
  std::string project;     // the source project's folder
  int64_t run = 0;
  std::string checkpoint;  // absolute path of the checkpoint file
  std::string sha256;
  NetShape shape;          // the input shape the source was trained on
  // "reset": a new classifier (needed when the classes differ); "keep": the source's.
  std::string head = "reset";

  bool set() const { return !checkpoint.empty(); }
  std::string describe() const;  // "project P run R (head reset)"
  nlohmann::json toJson() const;
  static InitFrom fromJson(const nlohmann::json& j, const std::string& origin);
};

}  // namespace sn
