#pragma once
#include <atomic>
#include <c10/core/Device.h>
#include <functional>
#include <string>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "db/records.h"

namespace sn {

class SupernetImpl;

// How latency is measured: median of `runs` timed forwards after `warmup` untimed ones, at
// `batch` images, inference mode, on `device` with `threads` CPU threads.
struct LatencyOptions {
  c10::Device device{c10::kCPU};
  int batch = 1;
  int warmup = 10;
  int runs = 30;
  int threads = 1;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(int, int)> progress;  // (done, total)
};

// The name latency numbers are stored under: the CPU model and thread count, or the GPU.
std::string latencyDeviceName(const LatencyOptions& options);

// Median wall time of `run` in milliseconds (the device synchronised around each run).
double medianLatencyMs(const std::function<void()>& run, const LatencyOptions& options);

// Measured latency of one subnet: extracted as a standalone network (what would be
// deployed), random input of the supernet's shape.
double measureSubnetLatencyMs(SupernetImpl& supernet, const Arch& arch, const LatencyOptions& options);

// Times every distinct block configuration of the space once, with its input size. Then
// calibrates on 8 subnets spread over the MAC range, measured whole: the fixed part (stem,
// first block, head, per-forward overhead) and a scale on the block sum (a block runs
// slower inside a network than alone, its weights and input no longer hot in cache) are
// fitted by least squares. Cancelled is thrown on stop.
LatencyTableRecord buildLatencyTable(SupernetImpl& supernet, const LatencyOptions& options);

// Predicted against measured latency for each arch.
std::vector<LatencyCheck> checkLatencyTable(SupernetImpl& supernet, const LatencyTableRecord& table,
                                            const std::vector<Arch>& archs,
                                            const LatencyOptions& options);

}  // namespace sn
