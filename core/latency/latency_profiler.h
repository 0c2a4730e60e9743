#pragma once
#include <atomic>
#include <c10/core/Device.h>
#include <functional>
#include <string>
#include <vector>

#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "db/records.h"

#include "core/util/job_control.h"

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
  // How a table times its blocks: "in-network" or "isolated" (see LatencyTableRecord); CUDA
  // always times them alone.
  std::string method = "in-network";
  // Cancel, and a table's progress: stage "blocks" (its timing), "validate" (the checks).
  JobControl job;
};

// The name latency numbers are stored under: the CPU model and thread count, or the GPU.
std::string latencyDeviceName(const LatencyOptions& options);

// Median wall time of `run` in milliseconds (the device synchronised around each run).
double medianLatencyMs(const std::function<void()>& run, const LatencyOptions& options);

// The latency of each of `runs`, measured interleaved: after `warmup` untimed runs each,
// in each of runs/5 rounds every one runs a burst (one untimed run, then 5 timed), and its
// figure is its fastest burst median. On a shared machine other tenants slow the CPU by
// 30-70% for stretches of tens of milliseconds (measured: docs/ARCHITECTURE.md, latency);
// bursts spread over the whole measurement let every run reach an undisturbed stretch, so
// two measurements of the same subnet agree, and so do the table and the checks.
std::vector<double> interleavedLatencyMs(const std::vector<std::function<void()>>& runs,
                                         const LatencyOptions& options);

// Measured latency of one subnet (interleavedLatencyMs of its forward): extracted as a
// standalone network (what would be deployed), random input of the supernet's shape.
double measureSubnetLatencyMs(SupernetImpl& supernet, const Arch& arch, const LatencyOptions& options);

// Builds a table by `options.method` and checks it against `checkArchs`, each measured
// twice (the second pass gives the noise floor, see latencyNoise; reported as stage
// "validate"). In-network (CPU): every block configuration timed inside whole subnets that cover
// every choice of every slot; the fixed part (stem, first block, head, per-forward
// overhead) is what a forward took beyond its blocks; the checks' first measurement runs
// in the same rounds. Isolated: every distinct block configuration timed alone, then a
// fixed part and a scale on the block sum fitted by least squares on 8 subnets spread over
// the MAC range. Cancelled is thrown on stop.
LatencyTableRecord buildLatencyTable(SupernetImpl& supernet, const LatencyOptions& options,
                                     const std::vector<Arch>& checkArchs = {});

}  // namespace sn
