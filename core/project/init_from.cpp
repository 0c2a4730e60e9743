#include "core/project/init_from.h"

#include <nlohmann/json.hpp>

#include "core/util/input_error.h"

namespace sn {

using nlohmann::json;

std::string InitFrom::describe() const {
  return "project " + project + " run " + std::to_string(run) + " (head " + head + ")";
}

json InitFrom::toJson() const {
  return {{"project", project},
          {"run", run},
          {"checkpoint", checkpoint},
          {"sha256", sha256},
          {"shape", {shape.channels, shape.resolution, shape.classes}},
          {"head", head}};
}

InitFrom InitFrom::fromJson(const json& j, const std::string& origin) {
  InitFrom f;
  try {
    f.project = j.at("project").get<std::string>();
    f.run = j.at("run").get<int64_t>();
    f.checkpoint = j.at("checkpoint").get<std::string>();
    f.sha256 = j.at("sha256").get<std::string>();
    const auto s = j.at("shape").get<std::vector<int>>();
    if (s.size() != 3) throw InputError(origin + ": init_from.shape needs 3 numbers");
    f.shape = {s[0], s[1], s[2]};
    f.head = j.value("head", f.head);
  } catch (const json::exception& e) {
    throw InputError(origin + ": init_from is malformed (" + e.what() + ")");
  }
  if (f.head != "reset" && f.head != "keep") {
    throw InputError(origin + ": init_from.head '" + f.head + "' (use reset or keep)");
  }
  return f;
}

}  // namespace sn
