// The analytic cost model against counts taken from real extracted subnets.
#include <QtTest>
#include <torch/torch.h>

#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/make_divisible.h"
#include "core/space/presets.h"
#include "core/supernet/static_subnet.h"
#include "core/supernet/supernet.h"

using namespace sn;

namespace {

int64_t countedParams(StaticSubnetImpl& subnet) {
  int64_t n = 0;
  for (const auto& p : subnet.parameters()) n += p.numel();
  return n;
}

void compareRandomArchs(const std::string& preset, const NetShape& shape, uint64_t seed) {
  torch::NoGradGuard noGrad;
  const SearchSpace space = spacePreset(preset);
  Supernet net(space, shape);
  net->eval();
  std::mt19937_64 rng(seed);
  const torch::Tensor x = torch::randn({1, shape.channels, shape.resolution, shape.resolution});
  for (int i = 0; i < 25; ++i) {
    const Arch arch = i == 0 ? Arch::largest(space) : i == 1 ? Arch::smallest(space)
                                                             : Arch::sample(space, rng);
    StaticSubnet subnet = extractSubnet(*net, arch);
    subnet->eval();
    OpCounter counter;
    subnet->forward(x, &counter);
    const Cost cost = computeCost(space, arch, shape);
    QVERIFY2(cost.macs == counter.macs,
             (arch.toText() + ": analytic " + std::to_string(cost.macs) + " counted " +
              std::to_string(counter.macs)).c_str());
    QVERIFY2(cost.params == countedParams(*subnet), arch.toText().c_str());
  }
}

}  // namespace

class TestCostModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void makeDivisibleMatchesOnceForAll() {
    // Values from Once-for-All's make_divisible(v, 8).
    QCOMPARE(makeDivisible(16 * 3), 48);
    QCOMPARE(makeDivisible(24 * 4), 96);
    QCOMPARE(makeDivisible(3.0), 8);
    QCOMPARE(makeDivisible(20.0), 24);  // rounds half up: int(20 + 4) // 8 * 8
    QCOMPARE(makeDivisible(11.0), 16);  // 8 would be more than 10% below 11
    QCOMPARE(seHidden(144), 40);        // make_divisible(144 // 4 = 36) = 40
    QCOMPARE(mbconvMiddle(40, 3), 120);
  }

  void analyticCostEqualsCountOnExtractedSubnetsOfOfaMbv3() {
    compareRandomArchs("ofa-mbv3", {3, 32, 10}, 11);
  }

  void analyticCostEqualsCountOnExtractedSubnetsOfOfaMbv3At224() {
    compareRandomArchs("ofa-mbv3", {3, 224, 1000}, 12);
  }

  void analyticCostEqualsCountOnExtractedSubnetsOfFmnistSmall() {
    compareRandomArchs("fmnist-small", {1, 28, 10}, 13);
  }

  void largestSubnetUsesEveryWeightOfTheSupernet() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    const Cost cost = computeCost(space, Arch::largest(space), {3, 224, 1000});
    Supernet net(space, NetShape{3, 224, 1000});
    int64_t supernetParams = 0, matrices = 0;
    for (const auto& p : net->named_parameters()) {
      supernetParams += p.value().numel();
      if (p.key().find(".matrix_") != std::string::npos) matrices += p.value().numel();
    }
    // The largest subnet uses every weight of the supernet but the kernel transformation
    // matrices (25x25 and 9x9 in each of the 20 elastic blocks): a subnet's kernels have them
    // folded in, and OFA counts a subnet's parameters so.
    QCOMPARE(matrices, int64_t{20 * (25 * 25 + 9 * 9)});
    QCOMPARE(cost.params, supernetParams - matrices);
    QVERIFY(cost.macs > cost.params);
  }
};

QTEST_APPLESS_MAIN(TestCostModel)
#include "tst_cost_model.moc"
