#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/data/augment_spec.h"
#include "core/prune/pruning_spec.h"
#include "core/train/distributed_spec.h"
#include "core/train/method_spec.h"

namespace sn {

struct DistillationSpec {
  std::string kind = "kl";  // kl | alpha | none
  double alphaMin = -1.0;   // alpha: AlphaNet's adaptive range; the larger divergence is used
  double alphaMax = 1.0;
};

// How a supernet is trained: a plain value with JSON round trip and validation.
struct TrainRecipe {
  int epochs = 10;
  int batchSize = 128;
  std::string optimizer = "sgd";  // sgd (Nesterov momentum) | adamw
  double lr = 0.1;
  double momentum = 0.9;
  bool nesterov = true;
  double weightDecay = 5e-5;  // never applied to BN parameters and biases
  double warmupEpochs = 1.0;
  double labelSmoothing = 0.1;
  int subnetsPerStep = 2;  // random subnets besides the largest and smallest (sandwich rule)
  // How the subnets of a step are chosen and taught (core/train/*_method.h); sandwich default.
  MethodSpec method;
  DistillationSpec distillation;
  AugmentSpec augment{2, true};
  uint64_t seed = 1;
  int logEvery = 20;  // steps between metric rows
  int recalBatches = 20;
  int evalBatchSize = 500;
  double gradClip = 0.0;  // max global grad norm; 0: off
  // Epoch-end probe set: this many fixed subnets spread over the MAC range (largest and
  // smallest included) are evaluated every `probeEvery` epochs, so the run's Pareto front
  // can be followed epoch by epoch. Other epochs evaluate the largest and smallest only.
  int probeSubnets = 6;
  int probeEvery = 1;
  // Speed switches (GPU issue): bf16 autocast of the forward passes with fp32 master weights
  // and losses ("fp32" | "bf16"), and NHWC activations (channels_last), which both oneDNN
  // (CPU) and cuDNN's tensor-core convs prefer.
  std::string precision = "fp32";
  bool channelsLast = true;
  // SuperTickets: progressive magnitude pruning (and BN-L1 shrinking) during training.
  PruningSpec pruning;
  // Checkpoints besides each epoch end's: one every `checkpointMinutes` of training (0: none),
  // so a kill on a long epoch loses minutes; of the run's checkpoints the last
  // `checkpointKeep` stay, and every one a stored subnet was measured on.
  double checkpointMinutes = 10.0;
  int checkpointKeep = 3;
  // Data-parallel training across processes (c10d); one process by default.
  DistributedSpec distributed;

  // The precisions a recipe may name, fp32 first (the default).
  static const std::vector<std::string>& precisions();
  static bool knownPrecision(const std::string& name);

  nlohmann::json toJson() const;
  // Missing fields keep their defaults; a bad value throws InputError naming `origin`.
  static TrainRecipe fromJson(const nlohmann::json& j, const std::string& origin);
};

}  // namespace sn
