#include "core/train/distributed_spec.h"

#include <nlohmann/json.hpp>

#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {

using nlohmann::json;

bool DistributedSpec::isDefault() const {
  const DistributedSpec d;
  return worldSize == d.worldSize && syncBatchNorm == d.syncBatchNorm && lrScaling == d.lrScaling &&
         bucketMb == d.bucketMb;
}

json DistributedSpec::toJson() const {
  return {{"world_size", worldSize},
          {"sync_batch_norm", syncBatchNorm},
          {"lr_scaling", lrScaling},
          {"bucket_mb", bucketMb}};
}

DistributedSpec DistributedSpec::fromJson(const json& j, const std::string& origin) {
  if (!j.is_object()) throw InputError(origin + ": recipe 'distributed' must be an object");
  DistributedSpec d;
  try {
    d.worldSize = jsonWhole(j, "world_size", d.worldSize, origin);
    d.syncBatchNorm = j.value("sync_batch_norm", d.syncBatchNorm);
    d.lrScaling = j.value("lr_scaling", d.lrScaling);
    d.bucketMb = j.value("bucket_mb", d.bucketMb);
  } catch (const json::exception& e) {
    throw InputError(origin + ": recipe distributed field of the wrong type (" + e.what() + ")");
  }
  if (d.worldSize < 1)
    throw InputError(origin + ": recipe distributed.world_size must be at least 1");
  if (d.lrScaling != "linear" && d.lrScaling != "none") {
    throw InputError(origin + ": recipe distributed.lr_scaling must be linear or none");
  }
  if (!(d.bucketMb > 0))
    throw InputError(origin + ": recipe distributed.bucket_mb must be positive");
  return d;
}

}  // namespace sn
