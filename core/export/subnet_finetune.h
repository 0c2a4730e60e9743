#pragma once
#include <atomic>
#include <cstdint>
#include <functional>

#include "core/data/batch_loader.h"
#include "core/util/job_control.h"

namespace sn {

class StaticSubnetImpl;

struct FineTuneOptions {
  int epochs = 1;
  double lr = 0.01;  // SGD (Nesterov momentum 0.9), cosine to zero over the epochs
  int64_t batchSize = 128;
  AugmentSpec augment;
  uint64_t seed = 1;
  JobControl job;  // reports stage "fine-tune", step of steps
};

// Trains an extracted subnet on its own (cross-entropy), keeping its pruning: a weight that
// is zero when fine-tuning starts is zero after every step. Leaves the subnet in eval mode.
// Throws Cancelled when the job is cancelled (the subnet is then partly tuned).
void fineTuneSubnet(StaticSubnetImpl& subnet, const BatchLoader& train, const FineTuneOptions& options);

}  // namespace sn
