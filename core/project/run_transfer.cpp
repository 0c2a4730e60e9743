#include "core/project/run_transfer.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/data/dataset_spec.h"
#include "core/project/project.h"
#include "core/project/workbench.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {

namespace {

std::string shapeText(const NetShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.resolution) + "x" +
         std::to_string(s.resolution) + ", " + std::to_string(s.classes) + " classes";
}

}  // namespace

TransferSource resolveInitFrom(const std::string& sourceProject, int64_t sourceRun,
                               const std::string& head) {
  if (head != "reset" && head != "keep") throw InputError("--head " + head + ": use reset or keep");
  Project source = Project::openReadOnly(sourceProject);
  const auto run = source.store().runs().find(sourceRun);
  const std::string name = source.dir() + ": run " + std::to_string(sourceRun);
  if (!run) throw InputError(source.dir() + ": no run " + std::to_string(sourceRun));
  const auto checkpoint = source.store().checkpoints().latest(sourceRun);
  if (!checkpoint) throw InputError(name + " has no checkpoint yet; train it first");
  const ProjectConfig config = ProjectConfig::fromText(run->configJson, name);
  InitFrom from;
  from.project = source.dir();
  from.run = sourceRun;
  from.checkpoint = verifiedCheckpointPath(source, *checkpoint);
  from.sha256 = checkpoint->sha256;
  from.shape = datasetShape(config.dataset);
  from.head = head;
  return {from, config.space};
}

int64_t createTransferRun(Project& target, NewRunRequest request, const TransferSource& source) {
  const InitFrom& from = source.from;
  request.config["space"] = source.space.toJson();
  request.config["init_from"] = from.toJson();
  const ProjectConfig config = ProjectConfig::fromJson(request.config, target.dir());
  const NetShape shape = datasetShape(config.dataset);
  const bool channelsFit = shape.channels == from.shape.channels ||
                           (shape.channels == 1 && from.shape.channels == 3) ||
                           (shape.channels == 3 && from.shape.channels == 1);
  if (!channelsFit) {
    throw InputError(target.dir() + ": this data has " + std::to_string(shape.channels) +
                     " channels, " + from.describe() + " was trained on " +
                     std::to_string(from.shape.channels) + " (only 1 <-> 3 can be adapted)");
  }
  if (from.head == "keep" && shape.classes != from.shape.classes) {
    throw InputError(target.dir() + ": --head keep needs the source's classes (" +
                     shapeText(from.shape) + "), this data has " + shapeText(shape) +
                     "; use --head reset");
  }
  if (request.name.empty()) request.name = "transfer of run " + std::to_string(from.run);
  return RunManager(target).create(request, "weights from " + from.describe());
}

void applyFineTuneDefaults(nlohmann::json& config) {
  nlohmann::json& recipe = config["recipe"];
  // A config from ProjectConfig::toJson always holds the recipe's lr.
  recipe["lr"] = recipe.at("lr").get<double>() * kFineTuneLrScale;
  recipe["warmup_epochs"] = 0.0;
}

}  // namespace sn
