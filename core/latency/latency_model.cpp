#include "core/latency/latency_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"

namespace sn {
namespace {

int positionOf(const std::vector<int>& choices, int value) {
  return static_cast<int>(std::find(choices.begin(), choices.end(), value) - choices.begin());
}

}  // namespace

std::vector<BlockSlot> elasticBlockSlots(const SearchSpace& space, const NetShape& shape) {
  int size = convOutputSize(shape.resolution, space.stem.stride);
  size = convOutputSize(size, firstBlockSpec(space).stride);
  std::vector<BlockSlot> slots;
  for (int s = 0; s < space.stageCount(); ++s) {
    for (int b = 0; b < space.maxDepth(); ++b) {
      const MBConvSpec spec = stageBlockSpec(space, s, b);
      slots.push_back({s, b, spec, size});
      size = convOutputSize(size, spec.stride);
    }
  }
  return slots;
}

std::string blockKey(const MBConvSpec& spec, int kernel, int expand, int inputSize) {
  return "in=" + std::to_string(spec.in) + " out=" + std::to_string(spec.out) +
         " stride=" + std::to_string(spec.stride) + " k=" + std::to_string(kernel) +
         " e=" + std::to_string(expand) + " size=" + std::to_string(inputSize) +
         " act=" + activationName(spec.act) + " se=" + (spec.se ? "1" : "0");
}

std::string spaceHash(const SearchSpace& space) {
  return sha256Hex(space.toJson().dump()).substr(0, 16);
}

std::string inputShapeText(const NetShape& shape) {
  return std::to_string(shape.channels) + "x" + std::to_string(shape.resolution) + "x" +
         std::to_string(shape.resolution);
}

LatencyModel::LatencyModel(const LatencyTableRecord& table, const SearchSpace& space,
                           const NetShape& shape)
    : space_(space), fixedMs_(table.fixedMs), blockScale_(table.blockScale) {
  const std::map<std::string, double> byKey(table.entries.begin(), table.entries.end());
  ms_.assign(space.stageCount() * space.maxDepth() * space.kernels.size() * space.expands.size(), 0);
  for (const BlockSlot& slot : elasticBlockSlots(space, shape)) {
    for (size_t k = 0; k < space.kernels.size(); ++k) {
      for (size_t e = 0; e < space.expands.size(); ++e) {
        const std::string key = blockKey(slot.spec, space.kernels[k], space.expands[e], slot.inputSize);
        const auto it = byKey.find(key);
        if (it == byKey.end()) {
          throw InputError("latency table " + std::to_string(table.id) + " has no entry for block '" +
                           key + "': it was built for another space or input; rebuild it with "
                           "supernet-cli latency-table");
        }
        ms_[index(slot.stage, slot.block, static_cast<int>(k), static_cast<int>(e))] = it->second;
      }
    }
  }
}

int LatencyModel::index(int stage, int block, int kernelIndex, int expandIndex) const {
  const int kernels = static_cast<int>(space_.kernels.size());
  const int expands = static_cast<int>(space_.expands.size());
  return ((stage * space_.maxDepth() + block) * kernels + kernelIndex) * expands + expandIndex;
}

double LatencyModel::predictMs(const Arch& arch) const {
  return fixedMs_ + blockScale_ * blockSumMs(arch);
}

double LatencyModel::blockSumMs(const Arch& arch) const {
  double ms = 0;
  for (int s = 0; s < space_.stageCount(); ++s) {
    const StageArch& st = arch.stages.at(s);
    for (int b = 0; b < st.depth(); ++b) {
      ms += ms_[index(s, b, positionOf(space_.kernels, st.kernels[b]),
                      positionOf(space_.expands, st.expands[b]))];
    }
  }
  return ms;
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

LatencyNoise latencyNoise(const std::vector<LatencyCheck>& checks) {
  std::vector<double> spread;
  for (const LatencyCheck& c : checks) {
    if (c.remeasuredMs > 0) spread.push_back(std::abs(c.measuredMs - c.remeasuredMs) / c.remeasuredMs);
  }
  LatencyNoise noise;
  noise.pairs = static_cast<int>(spread.size());
  if (spread.empty()) return noise;
  std::sort(spread.begin(), spread.end());
  const auto rank = [&](double q) {
    const size_t r = static_cast<size_t>(std::ceil(q * static_cast<double>(spread.size())));
    return spread[std::max<size_t>(r, 1) - 1];
  };
  noise.median = rank(0.5);
  noise.p90 = rank(0.9);
  return noise;
}

std::string latencyNoiseText(const LatencyNoise& noise) {
  if (noise.pairs == 0) return "noise floor: not measured (a table from before checks were measured twice)";
  char text[160];
  std::snprintf(text, sizeof text,
                "noise floor: the same %d subnets measured twice differ by %.1f%% (median), "
                "%.1f%% (90th percentile)",
                noise.pairs, 100 * noise.median, 100 * noise.p90);
  return text;
}

std::vector<LatencyCheck> checkLatencyModel(
    const LatencyModel& model, const std::vector<Arch>& archs,
    const std::function<std::vector<double>(const std::vector<Arch>&)>& measureMs,
    const std::atomic<bool>* stop) {
  const auto checkStop = [stop] {
    if (stop && stop->load()) throw Cancelled();
  };
  checkStop();
  const std::vector<double> first = measureMs(archs);
  // A second pass, not a second run right away: drift over the minutes a check takes is
  // part of what a user's own measurements will see.
  checkStop();
  return latencyChecks(model, archs, first, measureMs(archs));
}

std::vector<LatencyCheck> latencyChecks(const LatencyModel& model, const std::vector<Arch>& archs,
                                        const std::vector<double>& first,
                                        const std::vector<double>& second) {
  std::vector<LatencyCheck> checks;
  for (size_t i = 0; i < archs.size(); ++i) {
    checks.push_back({archs[i].toText(), model.predictMs(archs[i]), first.at(i), second.at(i)});
  }
  return checks;
}

}  // namespace sn
