#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace sn {

// How a run trains across ranks (recipe.distributed). The global batch is batch_size x
// world_size, where world_size is the number of ranks the run *started* with, recorded in
// the run's config: a resume with another number of ranks keeps the global batch, the data
// order and the LR schedule, and only splits each step's batch differently.
struct DistributedSpec {
  int worldSize = 1;
  // Batch-norm statistics over the global batch (SyncBN) instead of per rank (OFA's way).
  bool syncBatchNorm = false;
  // "linear": lr x world_size (Goyal et al.; the recipe's lr is for one rank's batch);
  // "none": the recipe's lr as it is.
  std::string lrScaling = "linear";
  double bucketMb = 25.0;  // gradient all-reduce bucket size (PyTorch DDP's default)

  bool isDefault() const;
  double lrFactor() const { return lrScaling == "linear" ? worldSize : 1.0; }

  nlohmann::json toJson() const;
  // Missing fields keep their defaults; a bad value throws InputError naming `origin`.
  static DistributedSpec fromJson(const nlohmann::json& j, const std::string& origin);
};

}  // namespace sn
