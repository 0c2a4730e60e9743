#include "core/latency/latency_profiler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "core/latency/latency_model.h"
#include "core/search/subnet_sampling.h"
#include "core/supernet/static_subnet.h"
#include "core/train/device.h"
#include "core/util/cancelled.h"
#include "kernels/gpu_event_timer.h"

namespace sn {
namespace {

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

void checkStop(const LatencyOptions& options) {
  if (options.stop && options.stop->load()) throw Cancelled();
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

torch::Tensor randomInput(const LatencyOptions& o, int64_t channels, int64_t size) {
  return torch::randn({o.batch, channels, size, size}, torch::TensorOptions().device(o.device));
}

constexpr int kCalibrationSubnets = 8;

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

double measureSubnetLatencyMs(SupernetImpl& supernet, const Arch& arch, const LatencyOptions& options) {
  useThreads(options.threads);
  torch::NoGradGuard noGrad;
  StaticSubnet subnet = extractSubnet(supernet, arch);
  subnet->to(options.device);
  subnet->eval();
  const NetShape& shape = supernet.shape();
  const torch::Tensor x = randomInput(options, shape.channels, shape.resolution);
  return medianLatencyMs([&] { subnet->forward(x); }, options);
}

LatencyTableRecord buildLatencyTable(SupernetImpl& supernet, const LatencyOptions& options) {
  useThreads(options.threads);
  torch::NoGradGuard noGrad;
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
  LatencyTableRecord table;
  table.device = latencyDeviceName(options);
  table.spaceHash = spaceHash(space);
  table.inputShape = inputShapeText(shape);
  table.batch = options.batch;
  table.threads = options.threads;
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
    Probe p{key, StaticMBConv(spec, kernel, expand), randomInput(options, spec.in, size), {}};
    p.block->to(options.device);
    p.block->eval();
    for (int i = 0; i < options.warmup; ++i) p.block->forward(p.input);
    probes.push_back(std::move(p));
  }
  constexpr int kRounds = 5;
  LatencyOptions perRound = options;
  perRound.warmup = 1;
  perRound.runs = std::max(1, options.runs / kRounds);
  const std::vector<Arch> calibration = spreadAcrossMacs(space, shape, kCalibrationSubnets, 7);
  const int total = kRounds * static_cast<int>(probes.size()) + kCalibrationSubnets;
  int done = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (Probe& p : probes) {
      checkStop(options);
      p.ms.push_back(medianLatencyMs([&] { p.block->forward(p.input); }, perRound));
      if (options.progress) options.progress(++done, total);
    }
  }
  for (Probe& p : probes) table.entries.emplace_back(p.key, median(std::move(p.ms)));
  std::vector<double> blockSums, measured;
  const LatencyModel blocksOnly(table, space, shape);
  for (const Arch& arch : calibration) {
    checkStop(options);
    blockSums.push_back(blocksOnly.blockSumMs(arch));
    measured.push_back(measureSubnetLatencyMs(supernet, arch, options));
    if (options.progress) options.progress(++done, total);
  }
  fitFixedAndScale(blockSums, measured, table);
  return table;
}

std::vector<LatencyCheck> checkLatencyTable(SupernetImpl& supernet, const LatencyTableRecord& table,
                                            const std::vector<Arch>& archs,
                                            const LatencyOptions& options) {
  const LatencyModel model(table, supernet.space(), supernet.shape());
  std::vector<LatencyCheck> checks;
  for (size_t i = 0; i < archs.size(); ++i) {
    checkStop(options);
    checks.push_back({archs[i].toText(), model.predictMs(archs[i]),
                      measureSubnetLatencyMs(supernet, archs[i], options)});
    if (options.progress) options.progress(static_cast<int>(i + 1), static_cast<int>(archs.size()));
  }
  return checks;
}

}  // namespace sn
