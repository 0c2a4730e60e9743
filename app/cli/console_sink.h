#pragma once
#include <chrono>
#include <cstdio>

#include "core/train/training_sink.h"

namespace sn::cli {

// Prints training progress: on a terminal one self-overwriting line with ETA, redrawn a few
// times a second; otherwise a plain log line every few seconds. Epoch results always.
class ConsoleSink : public TrainingSink {
 public:
  explicit ConsoleSink(std::FILE* out);
  ~ConsoleSink() override;

  void onProgress(const TrainingProgress& p) override;
  void onEpoch(const EpochSummary& e) override;
  void onMessage(const std::string& text) override;

 private:
  void clearLine();

  std::FILE* out_;
  bool tty_;
  bool lineOpen_ = false;
  std::chrono::steady_clock::time_point lastPrint_{};
};

std::string formatDuration(double seconds);

}  // namespace sn::cli
