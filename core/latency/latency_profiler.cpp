#include "core/latency/latency_profiler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "core/latency/latency_model.h"
#include "core/latency/network_timing.h"
#include "core/search/subnet_sampling.h"
#include "core/supernet/static_subnet.h"
#include "core/train/device.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "core/util/median.h"
#include "kernels/gpu_event_timer.h"

namespace sn {
namespace {

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

void checkStop(const LatencyOptions& options) {
  options.job.throwIfCancelled();
}

torch::Tensor randomInput(const LatencyOptions& o, int64_t channels, int64_t size) {
  return torch::randn({o.batch, channels, size, size}, torch::TensorOptions().device(o.device));
}

constexpr int kCalibrationSubnets = 8;
// Timed runs per burst of interleaved measurement.
constexpr int kBurst = 5;

// measured ~ fixed + scale x blockSum by least squares over the calibration subnets.
void fitFixedAndScale(const std::vector<double>& blockSums, const std::vector<double>& measured,
                      LatencyTableRecord& table) {
  const double n = static_cast<double>(blockSums.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < blockSums.size(); ++i) {
    mx += blockSums[i] / n;
    my += measured[i] / n;
  }
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < blockSums.size(); ++i) {
    sxy += (blockSums[i] - mx) * (measured[i] - my);
    sxx += (blockSums[i] - mx) * (blockSums[i] - mx);
  }
  table.blockScale = sxx > 0 ? sxy / sxx : 1.0;
  table.fixedMs = my - table.blockScale * mx;
}

}  // namespace

std::string latencyDeviceName(const LatencyOptions& options) {
  const std::string name = deviceDescription(options.device);
  if (options.device.is_cuda()) return name;
  return name + " x" + std::to_string(options.threads) + " threads";
}

double medianLatencyMs(const std::function<void()>& run, const LatencyOptions& options) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < options.warmup; ++i) run();
  std::vector<double> ms;
  if (options.device.is_cuda()) {
    // CUDA events: the GPU's own clock, not host time around a synchronize.
    kernels::GpuEventTimer timer(options.device);
    for (int i = 0; i < std::max(options.runs, 1); ++i) {
      timer.start();
      run();
      ms.push_back(timer.stopMs());
    }
    return median(std::move(ms));
  }
  for (int i = 0; i < std::max(options.runs, 1); ++i) {
    synchronize(options.device);
    const auto start = Clock::now();
    run();
    synchronize(options.device);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return median(std::move(ms));
}

std::vector<double> interleavedLatencyMs(const std::vector<std::function<void()>>& runs,
                                         const LatencyOptions& options) {
  LatencyOptions burst = options;
  burst.warmup = 1;  // the caches another subnet's burst left cold
  burst.runs = kBurst;
  for (const auto& run : runs) {
    for (int i = 0; i < options.warmup; ++i) run();
  }
  const int rounds = std::max(2, options.runs / kBurst);
  std::vector<double> fastest(runs.size(), std::numeric_limits<double>::infinity());
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < runs.size(); ++i) {
      checkStop(options);
      fastest[i] = std::min(fastest[i], medianLatencyMs(runs[i], burst));
    }
  }
  return fastest;
}

namespace {

// The arch's extracted subnet on the options' device, with an input of the supernet's shape.
struct TimedSubnet {
  StaticSubnet subnet{nullptr};
  torch::Tensor input;
};

TimedSubnet timedSubnet(SupernetImpl& supernet, const Arch& arch, const LatencyOptions& options) {
  TimedSubnet t{extractSubnet(supernet, arch), {}};
  t.subnet->to(options.device);
  t.subnet->eval();
  const NetShape& shape = supernet.shape();
  t.input = randomInput(options, shape.channels, shape.resolution);
  return t;
}

std::vector<double> measureSubnetsMs(SupernetImpl& supernet, const std::vector<Arch>& archs,
                                     const LatencyOptions& options) {
  useThreads(options.threads);
  torch::NoGradGuard noGrad;
  std::vector<TimedSubnet> subnets;
  std::vector<std::function<void()>> runs;
  for (const Arch& arch : archs) subnets.push_back(timedSubnet(supernet, arch, options));
  for (TimedSubnet& t : subnets) runs.push_back([&t] { t.subnet->forward(t.input); });
  return interleavedLatencyMs(runs, options);
}

}  // namespace

double measureSubnetLatencyMs(SupernetImpl& supernet, const Arch& arch, const LatencyOptions& options) {
  return measureSubnetsMs(supernet, {arch}, options).front();
}

namespace {

// The old method (and the one CUDA keeps: there a block's time inside a forward would need a
// synchronise around every block): each distinct block configuration timed alone,
// round-robin, then fixed part and block scale fitted on whole subnets.
void timeBlocksAlone(SupernetImpl& supernet, const LatencyOptions& options,
                     LatencyTableRecord& table) {
  const SearchSpace& space = supernet.space();
  const NetShape& shape = supernet.shape();
  // Distinct configurations only: the later blocks of a stage share one layout.
  std::map<std::string, std::tuple<MBConvSpec, int, int, int>> configs;
  for (const BlockSlot& slot : elasticBlockSlots(space, shape)) {
    for (int k : space.kernels) {
      for (int e : space.expands) {
        configs.emplace(blockKey(slot.spec, k, e, slot.inputSize),
                        std::make_tuple(slot.spec, k, e, slot.inputSize));
      }
    }
  }
  // Round-robin over the configurations, a few timings each per round, so a burst of
  // other load on the machine spreads over all of them instead of skewing one entry.
  struct Probe {
    std::string key;
    StaticMBConv block{nullptr};
    torch::Tensor input;
    std::vector<double> ms;
  };
  std::vector<Probe> probes;
  for (const auto& [key, config] : configs) {
    const auto& [spec, kernel, expand, size] = config;
    // Channels-last, as inside a subnet: another layout would time another kernel.
    Probe p{key, StaticMBConv(spec, kernel, expand),
            randomInput(options, spec.in, size).contiguous(at::MemoryFormat::ChannelsLast), {}};
    p.block->to(options.device);
    p.block->eval();
    for (int i = 0; i < options.warmup; ++i) p.block->forward(p.input);
    probes.push_back(std::move(p));
  }
  const int rounds = std::max(2, options.runs / kBurst);
  LatencyOptions perRound = options;
  perRound.warmup = 1;
  perRound.runs = kBurst;
  const std::vector<Arch> calibration = spreadAcrossMacs(space, shape, kCalibrationSubnets, 7);
  const int total = rounds * static_cast<int>(probes.size()) + kCalibrationSubnets;
  int done = 0;
  for (int round = 0; round < rounds; ++round) {
    for (Probe& p : probes) {
      checkStop(options);
      p.ms.push_back(medianLatencyMs([&] { p.block->forward(p.input); }, perRound));
      options.job.report("blocks", ++done, total);
    }
  }
  // The fastest round, as interleavedLatencyMs measures the subnets it is checked on.
  for (Probe& p : probes) table.entries.emplace_back(p.key, *std::min_element(p.ms.begin(), p.ms.end()));
  std::vector<double> blockSums, measured;
  const LatencyModel blocksOnly(table, space, shape);
  for (const Arch& arch : calibration) {
    checkStop(options);
    blockSums.push_back(blocksOnly.blockSumMs(arch));
    measured.push_back(measureSubnetLatencyMs(supernet, arch, options));
    options.job.report("blocks", ++done, total);
  }
  fitFixedAndScale(blockSums, measured, table);
}

// One burst of a subnet's forwards: the median whole time and each block's median.
NetworkTiming timeBurst(TimedSubnet& t, const Arch& arch) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> blockMs;
  t.subnet->forwardTimingBlocks(t.input, blockMs);  // the caches the last subnet left cold
  std::vector<std::vector<double>> perBlock;
  std::vector<double> whole;
  for (int i = 0; i < kBurst; ++i) {
    blockMs.clear();
    const auto start = Clock::now();
    t.subnet->forwardTimingBlocks(t.input, blockMs);
    whole.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    perBlock.resize(blockMs.size());
    for (size_t b = 0; b < blockMs.size(); ++b) perBlock[b].push_back(blockMs[b]);
  }
  NetworkTiming timing{arch, median(std::move(whole)), {}};
  for (std::vector<double>& ms : perBlock) timing.blockMs.push_back(median(std::move(ms)));
  return timing;
}

// Keeps, per figure, the fastest burst seen (as interleavedLatencyMs does for whole subnets).
void keepFastest(NetworkTiming& best, const NetworkTiming& burst) {
  if (best.blockMs.empty()) {
    best = burst;
    return;
  }
  best.wholeMs = std::min(best.wholeMs, burst.wholeMs);
  for (size_t b = 0; b < best.blockMs.size(); ++b) {
    best.blockMs[b] = std::min(best.blockMs[b], burst.blockMs[b]);
  }
}

// Each block timed where it runs: inside whole subnets that give every slot every choice
// (blockCoverPlan), with its real neighbours, caches and memory layout. A block timed alone
// runs with its weights and input hot in cache and misses what the network costs around
// it; by how much depends on the CPU's caches and vector width, which no fitted scale
// recovers for every subnet on every machine.
void timeBlocksInNetwork(SupernetImpl& supernet, const LatencyOptions& options,
                         const std::vector<Arch>& alongside, std::vector<double>& alongsideMs,
                         LatencyTableRecord& table) {
  constexpr int kCoverRounds = 8;
  const std::vector<Arch> plan = blockCoverPlan(supernet.space(), kCoverRounds, 7);
  std::vector<TimedSubnet> subnets, others;
  for (const Arch& arch : plan) subnets.push_back(timedSubnet(supernet, arch, options));
  for (const Arch& arch : alongside) others.push_back(timedSubnet(supernet, arch, options));
  std::vector<double> ignored;
  for (TimedSubnet& t : subnets) {
    for (int w = 0; w < options.warmup; ++w) t.subnet->forwardTimingBlocks(t.input, ignored);
  }
  for (TimedSubnet& t : others) {
    for (int w = 0; w < options.warmup; ++w) t.subnet->forward(t.input);
  }
  LatencyOptions burst = options;
  burst.warmup = 1;
  burst.runs = kBurst;
  std::vector<NetworkTiming> fastest(plan.size());
  alongsideMs.assign(alongside.size(), std::numeric_limits<double>::infinity());
  const int rounds = std::max(2, options.runs / kBurst);
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < plan.size(); ++i) {
      checkStop(options);
      keepFastest(fastest[i], timeBurst(subnets[i], plan[i]));
    }
    for (size_t i = 0; i < others.size(); ++i) {
      checkStop(options);
      TimedSubnet& t = others[i];
      alongsideMs[i] = std::min(alongsideMs[i], medianLatencyMs([&t] { t.subnet->forward(t.input); }, burst));
    }
    options.job.report("blocks", round + 1, rounds);
  }
  fitFromNetworkTimings(fastest, supernet.space(), supernet.shape(), table);
}

}  // namespace

LatencyTableRecord buildLatencyTable(SupernetImpl& supernet, const LatencyOptions& options,
                                     const std::vector<Arch>& checkArchs) {
  useThreads(options.threads);
  torch::NoGradGuard noGrad;
  LatencyTableRecord table;
  table.device = latencyDeviceName(options);
  table.spaceHash = spaceHash(supernet.space());
  table.inputShape = inputShapeText(supernet.shape());
  table.batch = options.batch;
  table.threads = options.threads;
  table.method = options.device.is_cuda() ? "isolated" : options.method;
  LatencyOptions second = options;
  second.job = options.job.asStage("validate");
  const auto measure = [&](const std::vector<Arch>& archs) {
    return measureSubnetsMs(supernet, archs, second);
  };
  if (table.method == "isolated") {
    timeBlocksAlone(supernet, options, table);
    if (checkArchs.empty()) return table;
    const LatencyModel model(table, supernet.space(), supernet.shape());
    table.checks = checkLatencyModel(model, checkArchs, measure, options.job.cancelFlag());
  } else if (table.method == "in-network") {
    // The checks' first measurement runs in the same rounds as the table's subnets: both see
    // the same machine, and the second pass shows how far another moment moves it.
    std::vector<double> first;
    timeBlocksInNetwork(supernet, options, checkArchs, first, table);
    if (checkArchs.empty()) return table;
    checkStop(options);
    const LatencyModel model(table, supernet.space(), supernet.shape());
    table.checks = latencyChecks(model, checkArchs, first, measure(checkArchs));
  } else {
    throw InputError("unknown latency table method '" + table.method +
                     "' (use in-network or isolated)");
  }
  return table;
}

}  // namespace sn
