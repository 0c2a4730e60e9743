#include "core/project/project_config.h"

#include <nlohmann/json.hpp>

#include "core/space/presets.h"
#include "core/util/input_error.h"

namespace sn {

using nlohmann::json;

json ProjectConfig::toJson() const {
  json j = {{"template", templateName},
            {"space", space.toJson()},
            {"dataset", dataset.toJson()},
            {"recipe", recipe.toJson()}};
  if (initFrom.set()) j["init_from"] = initFrom.toJson();
  return j;
}

ProjectConfig ProjectConfig::fromJson(const json& j, const std::string& origin) {
  if (!j.is_object()) throw InputError(origin + ": project config must be a JSON object");
  ProjectConfig c;
  c.templateName = j.value("template", "");
  if (!j.contains("space")) throw InputError(origin + ": missing 'space'");
  const json& space = j["space"];
  c.space = space.is_string() ? spacePreset(space.get<std::string>())
                              : SearchSpace::fromJson(space, origin + " space");
  c.dataset = DatasetSpec::fromJson(j.value("dataset", json::object()), origin);
  c.recipe = TrainRecipe::fromJson(j.value("recipe", json::object()), origin);
  if (j.contains("init_from")) c.initFrom = InitFrom::fromJson(j["init_from"], origin);
  return c;
}

ProjectConfig ProjectConfig::fromText(const std::string& text, const std::string& origin) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw InputError(origin + ": the configuration is not valid JSON");
  return fromJson(j, origin);
}

}  // namespace sn
