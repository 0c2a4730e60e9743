#pragma once
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/data/dataset_spec.h"
#include "core/project/init_from.h"
#include "core/space/search_space.h"
#include "core/train/train_recipe.h"

namespace sn {

// Everything a project trains with: kept as JSON in the project database and copied into
// each run's config, so a run always knows what produced it.
struct ProjectConfig {
  std::string templateName;
  SearchSpace space;
  DatasetSpec dataset;
  TrainRecipe recipe;
  InitFrom initFrom;  // a transferred run: its first weights (unset: the recipe's seed)

  nlohmann::json toJson() const;
  // "space" may be a preset name or a whole space object. InputError names `origin`.
  static ProjectConfig fromJson(const nlohmann::json& j, const std::string& origin);
  // The same from JSON text (a project's or a run's stored config); text that is not JSON
  // is an InputError naming `origin` too.
  static ProjectConfig fromText(const std::string& text, const std::string& origin);
};

}  // namespace sn
