#include "core/latency/network_timing.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <string>

#include "core/latency/latency_model.h"
#include "core/util/input_error.h"
#include "core/util/median.h"

namespace sn {
namespace {

// The slots an arch runs, in the order StaticSubnet runs its elastic blocks.
std::vector<const BlockSlot*> activeSlots(const std::vector<BlockSlot>& slots, const Arch& arch) {
  std::vector<const BlockSlot*> active;
  for (const BlockSlot& slot : slots) {
    if (slot.block < arch.stages.at(slot.stage).depth()) active.push_back(&slot);
  }
  return active;
}

}  // namespace

std::vector<Arch> blockCoverPlan(const SearchSpace& space, int rounds, uint64_t seed) {
  const int choices = static_cast<int>(space.kernels.size() * space.expands.size());
  const int depth = space.maxDepth();
  std::mt19937_64 rng(seed);
  std::vector<Arch> plan;
  for (int round = 0; round < rounds; ++round) {
    // Slot i takes choice (j + offset[i]) mod choices in subnet j: a Latin cover per round.
    std::vector<int> offset(static_cast<size_t>(space.stageCount() * depth));
    for (int& o : offset) o = std::uniform_int_distribution<int>(0, choices - 1)(rng);
    for (int j = 0; j < choices; ++j) {
      Arch arch;
      for (int s = 0; s < space.stageCount(); ++s) {
        StageArch stage;
        for (int b = 0; b < depth; ++b) {
          const int c = (j + offset[static_cast<size_t>(s * depth + b)]) % choices;
          stage.kernels.push_back(space.kernels[static_cast<size_t>(c) / space.expands.size()]);
          stage.expands.push_back(space.expands[static_cast<size_t>(c) % space.expands.size()]);
        }
        arch.stages.push_back(std::move(stage));
      }
      plan.push_back(std::move(arch));
    }
  }
  return plan;
}

void fitFromNetworkTimings(const std::vector<NetworkTiming>& timings, const SearchSpace& space,
                           const NetShape& shape, LatencyTableRecord& table) {
  const std::vector<BlockSlot> slots = elasticBlockSlots(space, shape);
  std::map<std::string, std::vector<double>> byKey;
  std::vector<double> fixed;
  for (const NetworkTiming& t : timings) {
    const std::vector<const BlockSlot*> active = activeSlots(slots, t.arch);
    if (active.size() != t.blockMs.size()) {
      throw InputError("latency timing of " + t.arch.toText() + " has " +
                       std::to_string(t.blockMs.size()) + " block times for " +
                       std::to_string(active.size()) + " blocks");
    }
    for (size_t i = 0; i < active.size(); ++i) {
      const BlockSlot& slot = *active[i];
      const StageArch& stage = t.arch.stages[slot.stage];
      byKey[blockKey(slot.spec, stage.kernels[slot.block], stage.expands[slot.block],
                     slot.inputSize)]
          .push_back(t.blockMs[i]);
    }
    fixed.push_back(t.wholeMs - std::accumulate(t.blockMs.begin(), t.blockMs.end(), 0.0));
  }
  table.entries.clear();
  for (auto& [key, ms] : byKey) table.entries.emplace_back(key, median(std::move(ms)));
  table.fixedMs = fixed.empty() ? 0 : median(std::move(fixed));
  table.blockScale = 1;
}

}  // namespace sn
