#pragma once
#include <atomic>
#include <cstdint>

#include "core/data/batch_loader.h"
#include "core/util/job_control.h"
#include "core/space/arch.h"
#include "core/supernet/supernet.h"

namespace sn {

struct EvalOptions {
  int recalBatches = 20;   // training batches for BN recalibration
  int recalBatchSize = 128;
  int batchSize = 500;     // test batch size
  uint64_t seed = 0;       // picks the recalibration samples
};

// Evaluates one subnet of a supernet: fresh BN statistics from training batches (no
// gradients), then top-1 accuracy on the whole test split. Leaves the supernet in eval mode
// with that subnet active.
class Evaluator {
 public:
  Evaluator(const BatchLoader& train, const BatchLoader& test, EvalOptions options)
      : train_(train), test_(test), options_(options) {}

  // `job` (optional) sees each batch and can cancel (Cancelled is thrown then, with the
  // supernet out of recalibration mode; its BN statistics are only meaningful after the
  // next recalibration, as after any evaluation of another subnet).
  double accuracy(SupernetImpl& net, const Arch& arch, const JobControl* job = nullptr) const;
  void recalibrateBn(SupernetImpl& net, const Arch& arch,
                     const JobControl* job = nullptr) const;
  // Top-1 of whatever subnet is active, statistics as they are.
  double testAccuracy(SupernetImpl& net, const JobControl* job = nullptr) const;
  const EvalOptions& options() const { return options_; }

 private:
  const BatchLoader& train_;
  const BatchLoader& test_;
  EvalOptions options_;
};

}  // namespace sn
