#include "core/project/ofa_import.h"

#include <torch/torch.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/data/dataset_spec.h"
#include "core/project/project.h"
#include "core/project/run_context.h"
#include "core/project/run_manager.h"
#include "core/project/workbench.h"
#include "core/pytorch_io/torch_checkpoint.h"
#include "core/supernet/ofa_state_dict.h"
#include "core/supernet/supernet.h"
#include "core/train/trainer.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/store.h"

namespace sn {
namespace {

void requireFits(const NetShape& file, const NetShape& data, const std::string& path, const Project& project) {
  if (file.channels != data.channels) {
    throw InputError(path + ": the checkpoint takes " + std::to_string(file.channels) +
                     "-channel input, the data of " + project.dir() + " has " +
                     std::to_string(data.channels) + " channels");
  }
  if (file.classes != data.classes) {
    throw InputError(path + ": the checkpoint has " + std::to_string(file.classes) + " classes, the data of " +
                     project.dir() + " has " + std::to_string(data.classes) +
                     " (a new head for other data is new-run --init-from's transfer)");
  }
}

// Writes the run's checkpoint, its row, its config naming that checkpoint as init_from
// (so a run made from this one starts from these weights), and marks it finished.
void writeImportedRun(Project& project, Workbench& w, ProjectConfig config, int64_t runId,
                      const NetShape& shape, const std::string& file) {
  const std::string relative = "checkpoints/run-" + std::to_string(runId) + "-imported.pt";
  const std::string path = project.checkpointPath(relative);
  w.trainer->save(path, {});
  CheckpointRecord c;
  c.runId = runId;
  c.path = relative;
  c.sha256 = sha256File(path);
  project.store().checkpoints().add(c);
  config.initFrom.project = project.dir();
  config.initFrom.run = runId;
  config.initFrom.checkpoint = path;
  config.initFrom.sha256 = c.sha256;
  config.initFrom.shape = shape;
  config.initFrom.head = "keep";
  project.store().runs().setConfig(runId, config.toJson().dump());
  project.store().runs().setStatus(
      runId, RunStatus::Finished,
      "imported from " + std::filesystem::path(file).filename().string() + " (Once-for-All)");
}

}  // namespace

OfaImportResult importOfaCheckpoint(Project& project, const std::string& file, const std::string& name,
                                    int threads, const JobControl& job) {
  auto stage = [&](const char* what) { job.tick(what, 0, 0); };
  stage("reading");
  if (std::filesystem::is_directory(file)) throw InputError(file + ": a folder, not a checkpoint file");
  if (!std::filesystem::is_regular_file(file)) throw InputError(file + ": no such file");
  OfaImportResult result;
  result.sha256 = sha256File(file);
  const TorchStateDict state = readTorchStateDict(file);
  result.format = state.format;
  result.tensors = static_cast<int64_t>(state.entries.size());

  stage("checking");
  const NetShape data = datasetShape(project.config().dataset);
  const OfaLayout layout = ofaLayoutOf(state, file, data.resolution);
  requireFits(layout.shape, data, file, project);
  ProjectConfig config = project.config();
  config.space = layout.space;
  config.initFrom = {};
  Workbench w = Workbench::prepare(config, "cpu", threads, config.recipe.epochs);
  loadOfaStateDict(*w.trainer->net(), state, file);
  result.space = layout.space.name;
  result.kernelTransform = layout.space.kernelTransform == KernelTransform::Matrix ? "matrix" : "slice";
  result.classes = layout.shape.classes;

  stage("writing");
  NewRunRequest request;
  request.name = name.empty() ? "OFA " + std::filesystem::path(file).filename().string() : name;
  request.config = config.toJson();
  const std::string absolute = std::filesystem::absolute(file).lexically_normal().string();
  result.runId = RunManager(project).create(request, "imported from " + absolute + " (sha256 " + result.sha256 + ")");
  try {
    writeImportedRun(project, w, config, result.runId, data, file);
  } catch (...) {
    RunManager(project).remove(result.runId);  // its rows and any checkpoint file written
    throw;
  }
  return result;
}

void exportOfaCheckpoint(Project& project, int64_t runId, const std::string& out, int threads) {
  const RunContext ctx = resolveRun(project, runId);
  if (!ctx.checkpoint) throw InputError(project.dir() + ": run " + std::to_string(ctx.run->id) + " has no checkpoint yet");
  if (!isOfaMobileNetV3(ctx.config.space)) {
    throw InputError(project.dir() + ": run " + std::to_string(ctx.run->id) + " is of space '" +
                     ctx.config.space.name + "', not OFA-MobileNetV3's layout (d234 e346 k357); export-ofa writes only that");
  }
  Workbench w = Workbench::prepare(ctx.config, "cpu", threads, ctx.config.recipe.epochs);
  w.trainer->load(verifiedCheckpointPath(project, *ctx.checkpoint));
  const TorchStateDict state = ofaStateDictOf(*w.trainer->net());
  writeTorchStateDict(out, state.entries, "state_dict");
}

}  // namespace sn
