#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace torch::optim {
class Optimizer;
}

namespace sn {

class SupernetImpl;

// Where training stands. RNG streams are derived from (seed, step) at every step, so these
// numbers restore them exactly; see Trainer.
struct CheckpointMeta {
  int64_t step = 0;
  int64_t epoch = 0;
  uint64_t seed = 0;
  std::string space;
  // The metric interval in progress (sums of the step values not yet written as a row, and
  // how many steps they cover) and the step of the last row written: with these a resumed
  // run writes exactly the rows an uninterrupted one would.
  std::vector<double> pendingSums;
  int64_t pendingSteps = 0;
  int64_t lastFlushStep = 0;
  // The training method's state (TrainingMethod::state): "" for stateless methods.
  std::string methodState;
};

// Weights and buffers (masks, BN statistics), optimizer state and meta in one file,
// written atomically (temporary file, fsync, rename).
void saveCheckpoint(const std::string& path, SupernetImpl& net, torch::optim::Optimizer& optimizer,
                    const CheckpointMeta& meta);

// Throws InputError naming the file when it is missing, corrupt or from another space.
// `optimizer` may be null (evaluation needs only the weights).
CheckpointMeta loadCheckpoint(const std::string& path, SupernetImpl& net,
                              torch::optim::Optimizer* optimizer);

}  // namespace sn
