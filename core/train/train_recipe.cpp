#include "core/train/train_recipe.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {

using nlohmann::json;

const std::vector<std::string>& TrainRecipe::precisions() {
  static const std::vector<std::string> names = {"fp32", "bf16"};
  return names;
}

bool TrainRecipe::knownPrecision(const std::string& name) {
  return std::find(precisions().begin(), precisions().end(), name) != precisions().end();
}

json TrainRecipe::toJson() const {
  json j = {{"epochs", epochs},
          {"batch_size", batchSize},
          {"optimizer", optimizer},
          {"lr", lr},
          {"momentum", momentum},
          {"nesterov", nesterov},
          {"weight_decay", weightDecay},
          {"warmup_epochs", warmupEpochs},
          {"label_smoothing", labelSmoothing},
          {"subnets_per_step", subnetsPerStep},
          {"distillation",
           {{"kind", distillation.kind},
            {"alpha_min", distillation.alphaMin},
            {"alpha_max", distillation.alphaMax}}},
          {"augment", {{"crop_padding", augment.cropPadding}, {"flip", augment.flip}}},
          {"seed", seed},
          {"log_every", logEvery},
          {"eval", {{"recal_batches", recalBatches}, {"batch_size", evalBatchSize}}},
          {"grad_clip", gradClip},
          {"probe", {{"subnets", probeSubnets}, {"every", probeEvery}}}};
  // Only a pruned run says so: dense runs' configs (and their recipe diffs) stay as before.
  if (pruning.enabled) j["pruning"] = pruning.toJson();
  // Likewise the speed switches, written only when not at their defaults.
  if (precision != "fp32") j["precision"] = precision;
  if (!channelsLast) j["channels_last"] = channelsLast;
  if (!distributed.isDefault()) j["distributed"] = distributed.toJson();
  if (checkpointMinutes != 10.0) j["checkpoint_minutes"] = checkpointMinutes;
  if (checkpointKeep != 3) j["checkpoint_keep"] = checkpointKeep;
  method.writeTo(j);
  return j;
}

TrainRecipe TrainRecipe::fromJson(const json& j, const std::string& origin) {
  if (!j.is_object()) throw InputError(origin + ": 'recipe' must be an object");
  TrainRecipe r;
  try {
    r.epochs = jsonWhole(j, "epochs", r.epochs, origin);
    r.batchSize = jsonWhole(j, "batch_size", r.batchSize, origin);
    r.optimizer = j.value("optimizer", r.optimizer);
    r.lr = j.value("lr", r.lr);
    r.momentum = j.value("momentum", r.momentum);
    r.nesterov = j.value("nesterov", r.nesterov);
    r.weightDecay = j.value("weight_decay", r.weightDecay);
    r.warmupEpochs = j.value("warmup_epochs", r.warmupEpochs);
    r.labelSmoothing = j.value("label_smoothing", r.labelSmoothing);
    r.subnetsPerStep = jsonWhole(j, "subnets_per_step", r.subnetsPerStep, origin);
    if (j.contains("distillation")) {
      const json& d = j["distillation"];
      r.distillation.kind = d.value("kind", r.distillation.kind);
      r.distillation.alphaMin = d.value("alpha_min", r.distillation.alphaMin);
      r.distillation.alphaMax = d.value("alpha_max", r.distillation.alphaMax);
    }
    if (j.contains("augment")) {
      r.augment.cropPadding = jsonWhole(j["augment"], "crop_padding", r.augment.cropPadding, origin);
      r.augment.flip = j["augment"].value("flip", r.augment.flip);
    }
    r.seed = jsonWhole(j, "seed", r.seed, origin);
    r.logEvery = jsonWhole(j, "log_every", r.logEvery, origin);
    if (j.contains("eval")) {
      r.recalBatches = jsonWhole(j["eval"], "recal_batches", r.recalBatches, origin);
      r.evalBatchSize = jsonWhole(j["eval"], "batch_size", r.evalBatchSize, origin);
    }
    r.gradClip = j.value("grad_clip", r.gradClip);
    if (j.contains("probe")) {
      r.probeSubnets = jsonWhole(j["probe"], "subnets", r.probeSubnets, origin);
      r.probeEvery = jsonWhole(j["probe"], "every", r.probeEvery, origin);
    }
    r.precision = j.value("precision", r.precision);
    r.channelsLast = j.value("channels_last", r.channelsLast);
    if (j.contains("pruning")) r.pruning = PruningSpec::fromJson(j["pruning"], origin);
    r.checkpointMinutes = j.value("checkpoint_minutes", r.checkpointMinutes);
    r.checkpointKeep = jsonWhole(j, "checkpoint_keep", r.checkpointKeep, origin);
    if (j.contains("distributed")) {
      r.distributed = DistributedSpec::fromJson(j["distributed"], origin);
    }
    r.method = MethodSpec::readFrom(j, origin);
  } catch (const json::exception& e) {
    throw InputError(origin + ": recipe field of the wrong type (" + e.what() + ")");
  }
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) throw InputError(origin + ": recipe " + what);
  };
  require(r.epochs >= 1, "epochs must be at least 1");
  require(r.batchSize >= 2, "batch_size must be at least 2 (batch norm needs two samples)");
  require(r.optimizer == "sgd" || r.optimizer == "adamw", "optimizer must be sgd or adamw");
  require(r.lr > 0, "lr must be positive");
  require(r.subnetsPerStep >= 0, "subnets_per_step must not be negative");
  require(r.distillation.kind == "kl" || r.distillation.kind == "alpha" ||
              r.distillation.kind == "none",
          "distillation kind must be kl, alpha or none");
  require(r.labelSmoothing >= 0 && r.labelSmoothing < 1, "label_smoothing must be in [0, 1)");
  require(r.gradClip >= 0, "grad_clip must not be negative (0 turns clipping off)");
  require(r.logEvery >= 1, "log_every must be at least 1");
  require(r.probeSubnets >= 2, "probe subnets must be at least 2 (the largest and the smallest)");
  require(r.probeEvery >= 1, "probe every must be at least 1 epoch");
  require(knownPrecision(r.precision), "precision must be fp32 or bf16");
  require(r.recalBatches >= 1 && r.evalBatchSize >= 1, "eval sizes must be at least 1");
  require(r.checkpointMinutes >= 0, "checkpoint_minutes must not be negative (0: epoch ends only)");
  require(r.checkpointKeep >= 1, "checkpoint_keep must be at least 1");
  // The predictor is fitted on the distinct probe subnets' latest accuracies.
  require(r.method.name != "attentive" || r.method.attentive.criterion != "predictor" || r.probeSubnets >= 10,
          "attentive.criterion 'predictor' needs probe.subnets of at least 10 (it is fitted on "
          "the probe evaluations); raise probe.subnets or use criterion 'loss'");
  return r;
}

}  // namespace sn
