#include "core/latency/latency_profiler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "core/latency/latency_model.h"
#include "core/supernet/static_subnet.h"
#include "core/train/device.h"
#include "core/util/cancelled.h"

namespace sn {
namespace {

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

void checkStop(const LatencyOptions& options) {
  if (options.stop && options.stop->load()) throw Cancelled();
}

torch::Tensor randomInput(const LatencyOptions& o, int64_t channels, int64_t size) {
  return torch::randn({o.batch, channels, size, size}, torch::TensorOptions().device(o.device));
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
  for (int i = 0; i < std::max(options.runs, 1); ++i) {
    synchronize(options.device);
    const auto start = Clock::now();
    run();
    synchronize(options.device);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
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
  const int total = static_cast<int>(configs.size()) + 1;
  int done = 0;
  for (const auto& [key, config] : configs) {
    checkStop(options);
    const auto& [spec, kernel, expand, size] = config;
    StaticMBConv block(spec, kernel, expand);
    block->to(options.device);
    block->eval();
    const torch::Tensor x = randomInput(options, spec.in, size);
    table.entries.emplace_back(key, medianLatencyMs([&] { block->forward(x); }, options));
    if (options.progress) options.progress(++done, total);
  }
  checkStop(options);
  const Arch smallest = Arch::smallest(space);
  LatencyModel blocksOnly(table, space, shape);  // fixed part still 0
  table.fixedMs = measureSubnetLatencyMs(supernet, smallest, options) - blocksOnly.predictMs(smallest);
  if (options.progress) options.progress(++done, total);
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

LatencyAccuracy latencyAccuracy(const std::vector<LatencyCheck>& checks, double tolerance) {
  LatencyAccuracy a;
  if (checks.empty()) return a;
  int within = 0;
  for (const LatencyCheck& c : checks) {
    const double relative = std::abs(c.predictedMs - c.measuredMs) / c.measuredMs;
    within += relative <= tolerance ? 1 : 0;
    a.meanRelativeError += relative / static_cast<double>(checks.size());
    a.worstRelativeError = std::max(a.worstRelativeError, relative);
  }
  a.withinTolerance = static_cast<double>(within) / static_cast<double>(checks.size());
  return a;
}

}  // namespace sn
