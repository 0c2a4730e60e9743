#pragma once
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/space/search_space.h"

namespace sn {

struct TrainBenchmarkOptions {
  SearchSpace space;
  NetShape shape;
  int batch = 128;
  int steps = 20;
  int warmupSteps = 3;
  int threads = 0;
  std::string device = "cpu";
  std::string precision = "fp32";  // or bf16 (autocast)
  bool channelsLast = true;
};

// Times sandwich steps (largest, smallest, 2 random; KL distillation; SGD) on random data
// resident on the device. Returns steps/s, images/s and the settings as JSON.
nlohmann::json runTrainBenchmark(const TrainBenchmarkOptions& options);

}  // namespace sn
