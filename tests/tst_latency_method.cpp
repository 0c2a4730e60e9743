// The latency table's method on recorded timings (the in-network fit, the cover of block
// choices) and the noise floor on a fake timer whose jitter is known.
#include <QtTest>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "core/latency/latency_model.h"
#include "core/latency/network_timing.h"
#include "core/space/arch.h"
#include "core/space/presets.h"

using namespace sn;

namespace {

const NetShape kShape{1, 28, 10};

// A made-up machine: every block configuration has its own time, and a forward costs a
// fixed part beyond its blocks.
struct FakeMachine {
  std::map<std::string, double> blockMs;
  double fixedMs = 0.25;

  explicit FakeMachine(const SearchSpace& space) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> ms(0.02, 0.2);
    for (const BlockSlot& slot : elasticBlockSlots(space, kShape)) {
      for (int k : space.kernels) {
        for (int e : space.expands) blockMs.emplace(blockKey(slot.spec, k, e, slot.inputSize), ms(rng));
      }
    }
  }
  // Each active block's time, network order, as StaticSubnet::forwardTimingBlocks records.
  std::vector<double> blocksOf(const SearchSpace& space, const Arch& arch) const {
    std::vector<double> ms;
    for (const BlockSlot& slot : elasticBlockSlots(space, kShape)) {
      const StageArch& st = arch.stages[slot.stage];
      if (slot.block >= st.depth()) continue;
      ms.push_back(blockMs.at(blockKey(slot.spec, st.kernels[slot.block], st.expands[slot.block],
                                       slot.inputSize)));
    }
    return ms;
  }
  double wholeMs(const SearchSpace& space, const Arch& arch) const {
    double ms = fixedMs;
    for (double b : blocksOf(space, arch)) ms += b;
    return ms;
  }
  LatencyTableRecord table() const {
    LatencyTableRecord t;
    t.fixedMs = fixedMs;
    t.entries.assign(blockMs.begin(), blockMs.end());
    return t;
  }
};

}  // namespace

class TestLatencyMethod : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void coverPlanGivesEverySlotEveryChoiceInEachRound() {
    const SearchSpace space = spacePreset("fmnist-small");
    const int choices = static_cast<int>(space.kernels.size() * space.expands.size());
    const std::vector<Arch> plan = blockCoverPlan(space, 3, 7);
    QCOMPARE(plan.size(), size_t(3 * choices));
    for (int round = 0; round < 3; ++round) {
      for (int s = 0; s < space.stageCount(); ++s) {
        for (int b = 0; b < space.maxDepth(); ++b) {
          std::set<std::pair<int, int>> seen;
          for (int j = 0; j < choices; ++j) {
            const StageArch& st = plan[round * choices + j].stages[s];
            QCOMPARE(st.depth(), space.maxDepth());
            seen.emplace(st.kernels[b], st.expands[b]);
          }
          QCOMPARE(static_cast<int>(seen.size()), choices);
        }
      }
    }
    // Neighbours differ between rounds: an entry is not always timed after the same block.
    QVERIFY(plan[0] != plan[choices]);
  }

  void inNetworkFitTakesEachEntrysMedianAndTheRestAsFixed() {
    const SearchSpace space = spacePreset("fmnist-small");
    const FakeMachine machine(space);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> slow(1.0, 1.3);  // interference only adds time
    std::vector<NetworkTiming> timings;
    for (const Arch& arch : blockCoverPlan(space, 5, 9)) {
      NetworkTiming t{arch, 0, machine.blocksOf(space, arch)};
      // The first round is slowed (other load): one time in five of every entry, which
      // the median of its five ignores.
      for (double& ms : t.blockMs) ms *= timings.size() < 4 ? slow(rng) : 1.0;
      double blocks = 0;
      for (double ms : t.blockMs) blocks += ms;
      t.wholeMs = blocks + machine.fixedMs;
      timings.push_back(std::move(t));
    }
    LatencyTableRecord table;
    fitFromNetworkTimings(timings, space, kShape, table);
    QCOMPARE(table.entries.size(), machine.blockMs.size());
    for (const auto& [key, ms] : table.entries) QVERIFY(std::abs(ms - machine.blockMs.at(key)) < 1e-12);
    QVERIFY(std::abs(table.fixedMs - machine.fixedMs) < 1e-12);
    QCOMPARE(table.blockScale, 1.0);
    const LatencyModel model(table, space, kShape);
    for (int i = 0; i < 50; ++i) {
      const Arch arch = Arch::sample(space, rng);  // any depth, not only the plan's
      QVERIFY(std::abs(model.predictMs(arch) - machine.wholeMs(space, arch)) < 1e-9);
    }
  }

  void inNetworkFitRefusesTimingsOfTheWrongShape() {
    const SearchSpace space = spacePreset("fmnist-small");
    NetworkTiming t{Arch::largest(space), 1.0, {0.1, 0.2}};
    LatencyTableRecord table;
    QVERIFY_THROWS_EXCEPTION(std::exception, fitFromNetworkTimings({t}, space, kShape, table));
  }

  void noiseFloorOfAFakeTimerWithKnownJitter() {
    const SearchSpace space = spacePreset("fmnist-small");
    const FakeMachine machine(space);
    const LatencyModel model(machine.table(), space, kShape);
    std::mt19937_64 rng(5);
    std::vector<Arch> archs;
    for (int i = 0; i < 2000; ++i) archs.push_back(Arch::sample(space, rng));
    // Every measurement is the true time x (1 + u), u uniform in [-j, j].
    const double j = 0.04;
    std::uniform_real_distribution<double> jitter(-j, j);
    int calls = 0;
    const auto fakeTimer = [&](const std::vector<Arch>& all) {
      ++calls;
      std::vector<double> ms;
      for (const Arch& a : all) ms.push_back(machine.wholeMs(space, a) * (1 + jitter(rng)));
      return ms;
    };
    const std::vector<LatencyCheck> checks = checkLatencyModel(model, archs, fakeTimer, nullptr);
    QCOMPARE(calls, 2);
    const LatencyNoise noise = latencyNoise(checks);
    QCOMPARE(noise.pairs, 2000);
    // |u1 - u2| / (1 + u2) is close to |u1 - u2|, triangular on [0, 2j]: its median is
    // 2j (1 - 1/sqrt 2) and its 90th percentile 2j (1 - sqrt 0.1).
    const double median = 2 * j * (1 - 1 / std::sqrt(2.0));
    const double p90 = 2 * j * (1 - std::sqrt(0.1));
    qInfo("noise floor: median %.4f (expected %.4f), p90 %.4f (expected %.4f)", noise.median,
          median, noise.p90, p90);
    QVERIFY(std::abs(noise.median - median) < 0.1 * median);
    QVERIFY(std::abs(noise.p90 - p90) < 0.1 * p90);
    // A table that is right up to the jitter is within 10% everywhere.
    QCOMPARE(latencyAccuracy(checks, 0.10).withinTolerance, 1.0);
    QVERIFY(latencyNoiseText(noise).find("2000 subnets") != std::string::npos);
  }

  void noiseFloorNeedsSecondMeasurements() {
    const LatencyNoise none = latencyNoise({{"a", 1, 1, 0}, {"b", 2, 2, 0}});
    QCOMPARE(none.pairs, 0);
    QVERIFY(latencyNoiseText(none).find("not measured") != std::string::npos);
    const LatencyNoise two = latencyNoise({{"a", 1, 1.1, 1.0}, {"b", 2, 2, 2}});
    QCOMPARE(two.pairs, 2);
    QVERIFY(std::abs(two.p90 - 0.1) < 1e-12);
  }
};

QTEST_APPLESS_MAIN(TestLatencyMethod)
#include "tst_latency_method.moc"
