#pragma once
// Requests a stop once training reaches a step, as the GUI's Stop button or Ctrl-C would.
#include <atomic>
#include <cstdint>

#include "core/train/training_sink.h"

namespace sn::test {

class StopAt : public TrainingSink {
 public:
  StopAt(std::atomic<bool>& flag, int64_t step) : flag_(flag), step_(step) {}
  void onProgress(const TrainingProgress& p) override {
    if (p.step >= step_) flag_ = true;
  }

 private:
  std::atomic<bool>& flag_;
  int64_t step_;
};

}  // namespace sn::test
