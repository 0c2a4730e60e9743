#include "core/project/workbench.h"

#include <torch/torch.h>

#include <filesystem>

#include "core/data/dataset_pair.h"
#include "core/data/dataset_spec.h"
#include "core/project/project.h"
#include "core/train/device.h"
#include "core/train/weight_transfer.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/records.h"

namespace sn {

Workbench Workbench::prepare(const ProjectConfig& config, const std::string& device, int threads,
                             int epochs, TrainingGroup* group) {
  Workbench w;
  w.device = parseDevice(device);
  useThreads(threads);
  DatasetPair data = loadDatasets(config.dataset);
  const auto [mean, stddev] = BatchLoader::channelStatistics(data.train);
  w.train = std::make_unique<BatchLoader>(data.train.to(w.device), mean, stddev);
  w.test = std::make_unique<BatchLoader>(data.test.to(w.device), mean, stddev);
  // Initial weights come from the recipe's seed: the same project trains the same way.
  torch::manual_seed(config.recipe.seed);
  Supernet net(config.space, data.train.shape());
  net->to(w.device);
  w.trainer = std::make_unique<Trainer>(net, config.recipe, *w.train, epochs, group);
  const EvalOptions eval{config.recipe.recalBatches, config.recipe.batchSize,
                         config.recipe.evalBatchSize, config.recipe.seed};
  w.evaluator = std::make_unique<Evaluator>(*w.train, *w.test, eval);
  return w;
}

void Workbench::startFrom(const InitFrom& from) {
  if (from.set()) transfer = transferWeights(*trainer->net(), from).text();
}

std::string verifiedCheckpointPath(const Project& project, const CheckpointRecord& checkpoint) {
  const std::string path = project.checkpointPath(checkpoint.path);
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": checkpoint not found");
  if (sha256File(path) != checkpoint.sha256) {
    throw InputError(path + ": checkpoint is corrupt (its SHA-256 differs from the one recorded "
                            "when it was written)");
  }
  return path;
}

}  // namespace sn
