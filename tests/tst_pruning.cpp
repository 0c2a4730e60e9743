// SuperTickets pruning on the real supernet: schedule, exact sparsity per scope, regrowth
// policies, masked weights' silence, masks in checkpoints, channel shrinking, one-shot
// pruning of a subnet and its sparse MACs.
#include <QtTest>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>

#include "core/data/synthetic_dataset.h"
#include "core/prune/channel_shrinker.h"
#include "core/prune/magnitude_pruner.h"
#include "core/prune/subnet_sparsity.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "core/supernet/supernet.h"
#include "core/train/trainer.h"
#include "core/util/input_error.h"
#include <nlohmann/json.hpp>

using namespace sn;

namespace {

const NetShape kShape{1, 28, 10};

Supernet maskedNet(uint64_t seed = 0) {
  torch::manual_seed(seed);
  Supernet net(spacePreset("fmnist-small"), kShape);
  net->enableMasks();
  return net;
}

int64_t zeros(const at::Tensor& mask) { return (mask == 0).sum().item<int64_t>(); }

int64_t expectedCount(double sparsity, int64_t n) { return static_cast<int64_t>(std::llround(sparsity * n)); }

PruningSpec spec(const std::string& scope, const std::string& regrowth) {
  PruningSpec p;
  p.enabled = true;
  p.scope = scope;
  p.regrowth = regrowth;
  return p;
}

// Puts weight values where the next recompute must change its mind: the pruned weights of
// the first layer grow large, the same number of its kept weights shrink to near zero.
void swapMagnitudes(const PrunableLayer& layer) {
  torch::NoGradGuard noGrad;
  at::Tensor w = layer.conv->weight.view(-1);
  const at::Tensor m = layer.conv->mask.view(-1);
  const at::Tensor pruned = (m == 0).nonzero().view(-1).narrow(0, 0, 10);
  const at::Tensor kept = (m != 0).nonzero().view(-1).narrow(0, 0, 10);
  w.index_fill_(0, pruned, 5.0);
  w.index_fill_(0, kept, 1e-6);
}

torch::Tensor input() {
  torch::manual_seed(3);
  return torch::randn({4, 1, 28, 28});
}

}  // namespace

class TestPruning : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void scheduleRisesByStepsUpToTheTarget() {
    PruningSpec p;
    p.enabled = true;
    p.startEpoch = 2;
    p.interval = 2;
    p.step = 0.3;
    p.target = 0.8;
    QCOMPARE(p.sparsityAt(1), 0.0);
    QVERIFY(!p.pruneAt(1));
    QVERIFY(p.pruneAt(2) && !p.pruneAt(3) && p.pruneAt(4));
    QCOMPARE(p.sparsityAt(2), 0.3);
    QCOMPARE(p.sparsityAt(3), 0.3);
    QCOMPARE(p.sparsityAt(4), 0.6);
    QCOMPARE(p.sparsityAt(6), 0.8);
    QVERIFY(p.pruneAt(6));
    QVERIFY(!p.pruneAt(8));  // the target was reached: the masks stay
    QCOMPARE(p.sparsityAt(20), 0.8);
    // A step written as target / 3 arrives in three steps despite rounding (0.3 x 3 < 0.9).
    PruningSpec thirds;
    thirds.enabled = true;
    thirds.target = 0.9;
    thirds.step = 0.9 / 3;
    QCOMPARE(thirds.sparsityAt(3), 0.9);
    QVERIFY(thirds.pruneAt(3) && !thirds.pruneAt(4));
    const PruningSpec back = PruningSpec::fromJson(p.toJson(), "test");
    QCOMPARE(back.toJson().dump(), p.toJson().dump());
  }

  void badPruningValuesAreRefusedByName() {
    const auto refused = [](const char* text, const char* needle) {
      try {
        PruningSpec::fromJson(nlohmann::json::parse(text), "project.json");
      } catch (const InputError& e) {
        return std::string(e.what()).find(needle) != std::string::npos &&
               std::string(e.what()).find("project.json") != std::string::npos;
      }
      return false;
    };
    QVERIFY(refused(R"({"target": 1.5})", "target"));
    QVERIFY(refused(R"({"scope": "row"})", "scope"));
    QVERIFY(refused(R"({"regrowth": "grow"})", "regrowth"));
    QVERIFY(refused(R"({"interval": 0})", "interval"));
    QVERIFY(refused(R"({"step": "a lot"})", "wrong type"));
  }

  void globalScopeMasksExactlyTheScheduledShare() {
    Supernet net = maskedNet();
    MagnitudePruner pruner(*net, spec("global", "recompute"));
    int64_t total = 0;
    for (const PrunableLayer& l : pruner.layers()) total += l.conv->mask.numel();
    QVERIFY(total > 10000);
    for (double s : {0.1, 0.5, 0.9}) {
      const PruneReport r = pruner.prune(s, nullptr);
      int64_t masked = 0;
      for (const PrunableLayer& l : pruner.layers()) masked += zeros(l.conv->mask);
      QCOMPARE(masked, expectedCount(s, total));
      QCOMPARE(r.weights, total);
      QVERIFY(std::abs(r.sparsity - s) < 1e-4);
    }
    // One global threshold: every kept weight is at least as large as every pruned one.
    double maxPruned = 0, minKept = 1e9;
    for (const PrunableLayer& l : pruner.layers()) {
      const at::Tensor w = l.conv->weight.detach().abs();
      const at::Tensor m = l.conv->mask;
      if (zeros(m) > 0) maxPruned = std::max(maxPruned, w.masked_select(m == 0).max().item<double>());
      if (zeros(m) < m.numel()) minKept = std::min(minKept, w.masked_select(m != 0).min().item<double>());
    }
    QVERIFY(maxPruned <= minKept);
  }

  void layerScopeMasksExactlyTheShareOfEachLayer() {
    Supernet net = maskedNet();
    MagnitudePruner pruner(*net, spec("layer", "recompute"));
    const PruneReport r = pruner.prune(0.7, nullptr);
    QCOMPARE(r.layers.size(), pruner.layers().size());
    for (const PrunableLayer& l : pruner.layers()) {
      QCOMPARE(zeros(l.conv->mask), expectedCount(0.7, l.conv->mask.numel()));
    }
  }

  void recomputeReactivatesWeightsThatGrewBack() {
    Supernet net = maskedNet();
    MagnitudePruner pruner(*net, spec("global", "recompute"));
    pruner.prune(0.5, nullptr);
    swapMagnitudes(pruner.layers().front());
    const PruneReport r = pruner.prune(0.5, nullptr);
    QVERIFY2(r.reactivated >= 10, std::to_string(r.reactivated).c_str());
    QCOMPARE(r.pruned, r.reactivated);  // the same share: what came back pushed others out
  }

  void keepNeverReactivates() {
    Supernet net = maskedNet();
    MagnitudePruner pruner(*net, spec("global", "keep"));
    pruner.prune(0.5, nullptr);
    const at::Tensor before = pruner.layers().front().conv->mask.clone();
    swapMagnitudes(pruner.layers().front());
    PruneReport r = pruner.prune(0.5, nullptr);
    QCOMPARE(r.reactivated, int64_t{0});
    r = pruner.prune(0.7, nullptr);
    QCOMPARE(r.reactivated, int64_t{0});
    // Everything pruned before is still pruned.
    QVERIFY(((before == 0) & (pruner.layers().front().conv->mask != 0)).sum().item<int64_t>() == 0);
  }

  void resetZeroesNewlyPrunedWeights() {
    Supernet net = maskedNet();
    MagnitudePruner pruner(*net, spec("global", "reset"));
    pruner.prune(0.4, nullptr);
    for (const PrunableLayer& l : pruner.layers()) {
      QCOMPARE(l.conv->weight.detach().masked_select(l.conv->mask == 0).abs().sum().item<double>(), 0.0);
    }
  }

  // Changing pruned weights changes neither the output nor any gradient a kept weight or
  // the input gets; without straight-through they get no gradient themselves.
  void maskedWeightsContributeNothing() {
    for (bool straightThrough : {false, true}) {
      Supernet net = maskedNet();
      // Per layer: at initialisation a global threshold can take whole layers (their init
      // scales differ), and then no gradient reaches anything before them.
      MagnitudePruner pruner(*net, spec("layer", straightThrough ? "recompute" : "keep"));
      for (const PrunableLayer& l : pruner.layers()) l.conv->straightThrough = straightThrough;
      pruner.prune(0.6, nullptr);
      net->eval();
      net->setActive(Arch::largest(net->space()));
      const DynamicConv2dImpl& conv = *pruner.layers()[3].conv;
      auto run = [&] {
        net->zero_grad();
        torch::Tensor x = input().requires_grad_(true);
        const torch::Tensor y = net->forward(x);
        (y * 100).square().sum().backward();
        return std::tuple{y.detach().clone(), x.grad().clone(), conv.weight.grad().clone()};
      };
      const auto [y1, gx1, gw1] = run();
      {
        torch::NoGradGuard noGrad;
        for (const PrunableLayer& l : pruner.layers()) {
          l.conv->weight.add_(torch::randn_like(l.conv->weight) * (l.conv->mask == 0));
        }
      }
      QVERIFY(gw1.abs().sum().item<double>() > 0);
      const auto [y2, gx2, gw2] = run();
      QVERIFY(torch::equal(y1, y2));
      QVERIFY(torch::allclose(gx1, gx2, 1e-5, 1e-6));
      const at::Tensor kept = conv.mask != 0;
      QVERIFY(torch::allclose(gw1.masked_select(kept), gw2.masked_select(kept), 1e-5, 1e-6));
      const double prunedGrad = gw2.masked_select(conv.mask == 0).abs().sum().item<double>();
      if (straightThrough) {
        QVERIFY2(prunedGrad > 0, "straight-through: pruned weights learn, so they can grow back");
      } else {
        QCOMPARE(prunedGrad, 0.0);
      }
    }
  }

  void checkpointsRoundTripMasks() {
    SyntheticSpec data;
    data.samples = 64;
    const Dataset d = makeSyntheticDataset(data);
    const auto [mean, stddev] = BatchLoader::channelStatistics(d);
    const BatchLoader loader(d, mean, stddev);
    TrainRecipe recipe;
    recipe.batchSize = 32;
    recipe.subnetsPerStep = 0;
    recipe.pruning = spec("global", "recompute");
    recipe.pruning.startEpoch = 0;
    recipe.pruning.step = 0.3;
    recipe.pruning.shrink.enabled = true;
    recipe.pruning.shrink.rampEpochs = 0;
    recipe.pruning.shrink.threshold = 0.5;  // BN gammas start at 1: only the ones zeroed below go
    recipe.pruning.shrink.minMacs = 0;
    torch::manual_seed(1);
    Trainer trainer(Supernet(spacePreset("fmnist-small"), kShape), recipe, loader, 3);
    {
      torch::NoGradGuard noGrad;
      trainer.net()->blocks[0][0]->depthBn->weight.narrow(0, 0, 4).zero_();
    }
    StepReport report;
    while (trainer.globalStep() < 4) report = trainer.step();  // prunes at steps 0 and 2
    const std::string path = (std::filesystem::temp_directory_path() / "tst_pruning.pt").string();
    trainer.save(path);
    torch::manual_seed(2);
    Trainer other(Supernet(spacePreset("fmnist-small"), kShape), recipe, loader, 3);
    other.load(path);
    std::filesystem::remove(path);
    const auto a = prunableLayers(*trainer.net());
    const auto b = prunableLayers(*other.net());
    QCOMPARE(a.size(), b.size());
    int64_t masked = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      QVERIFY(torch::equal(a[i].conv->mask, b[i].conv->mask));
      masked += zeros(b[i].conv->mask);
    }
    QVERIFY(masked > 0);
    QCOMPARE(std::abs(other.pruner()->sparsity() - 0.6) < 1e-4, true);
    const at::Tensor channels = other.net()->blocks[0][0]->channelMask;
    QVERIFY(torch::equal(channels, trainer.net()->blocks[0][0]->channelMask));
    QCOMPARE(zeros(channels), int64_t{4});
  }

  // Channels whose BN scale and shift are zero already contribute nothing: removing them
  // removes exactly those and leaves every subnet's output as it was.
  void shrinkingRemovesTheChannelsItSaysAndKeepsOutputs() {
    Supernet net = maskedNet(4);
    ShrinkSpec s;
    s.enabled = true;
    s.threshold = 1e-3;
    s.minMacs = 0;
    ChannelShrinker shrinker(*net, s);
    std::vector<std::pair<int, int64_t>> chosen = {{0, 1}, {0, 5}, {3, 0}, {3, 7}, {4, 2}};
    {
      torch::NoGradGuard noGrad;
      for (const auto& [block, channel] : chosen) {
        DynamicMBConvImpl& b = *net->blocks[block / 2][block % 2];
        b.depthBn->weight[channel].fill_(0);
        b.depthBn->bias[channel].fill_(0);
      }
    }
    net->eval();
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> before;
    std::mt19937_64 rng(2);
    std::vector<Arch> archs = {Arch::largest(net->space()), Arch::smallest(net->space()), Arch::sample(net->space(), rng)};
    for (const Arch& a : archs) {
      net->setActive(a);
      before.push_back(net->forward(input()));
    }
    const ShrinkResult r = shrinker.shrink(nullptr);
    QCOMPARE(r.channels, static_cast<int64_t>(chosen.size()));
    QVERIFY(r.macsShare > 0);
    for (size_t s2 = 0; s2 < net->blocks.size(); ++s2) {
      for (size_t b = 0; b < net->blocks[s2].size(); ++b) {
        const at::Tensor m = net->blocks[s2][b]->channelMask;
        for (int64_t c = 0; c < m.size(0); ++c) {
          const bool isChosen = std::count(chosen.begin(), chosen.end(), std::pair{static_cast<int>(s2 * 2 + b), c}) > 0;
          QCOMPARE(m[c].item<float>() == 0.0f, isChosen);
        }
      }
    }
    // The removed channels' weights are masked: no subnet uses them any more.
    DynamicMBConvImpl& b0 = *net->blocks[0][0];
    QCOMPARE(b0.depthConv->mask[1].abs().sum().item<double>(), 0.0);
    QCOMPARE(b0.projectConv->mask.select(1, 5).abs().sum().item<double>(), 0.0);
    for (size_t i = 0; i < archs.size(); ++i) {
      net->setActive(archs[i]);
      QVERIFY2(torch::allclose(net->forward(input()), before[i], 1e-5, 1e-5), archs[i].toText().c_str());
    }
  }

  void shrinkingWaitsForEnoughMacs() {
    Supernet net = maskedNet(4);
    ShrinkSpec s;
    s.enabled = true;
    s.threshold = 1e-3;
    s.minMacs = 0.5;  // half the hidden channels' MACs: one channel is not worth it
    ChannelShrinker shrinker(*net, s);
    {
      torch::NoGradGuard noGrad;
      net->blocks[0][0]->depthBn->weight[0].fill_(0);
    }
    const ShrinkResult r = shrinker.shrink(nullptr);
    QCOMPARE(r.channels, int64_t{0});
    QCOMPARE(shrinker.removedChannels(), int64_t{0});
  }

  void oneShotPruneHitsTheSubnetsShareAndCountsSparseMacs() {
    torch::manual_seed(0);
    Supernet net(spacePreset("fmnist-small"), kShape);
    const Arch arch = Arch::smallest(net->space());
    const SubnetSparsity dense = subnetSparsity(*net, arch);
    QCOMPARE(dense.zeros, int64_t{0});
    QCOMPARE(dense.sparseMacs, dense.denseMacs);
    QCOMPARE(dense.denseMacs, computeCost(net->space(), arch, kShape).macs);
    oneShotPrune(*net, arch, 0.8);
    const SubnetSparsity pruned = subnetSparsity(*net, arch);
    QCOMPARE(pruned.weights, dense.weights);
    QCOMPARE(pruned.zeros, expectedCount(0.8, dense.weights));
    QVERIFY(pruned.sparseMacs < dense.denseMacs);
    int64_t zeroMacs = 0;
    for (const ActiveConv& c : activeConvs(*net, arch)) {
      zeroMacs += (c.conv->activeWeight(c.in, c.out, c.kernel) == 0).sum().item<int64_t>() * c.side * c.side;
    }
    QCOMPARE(pruned.sparseMacs, dense.denseMacs - zeroMacs);
    // Only the subnet's slices were touched: the largest subnet's extra weights are intact.
    const SubnetSparsity largest = subnetSparsity(*net, Arch::largest(net->space()));
    QCOMPARE(largest.zeros, pruned.zeros);
  }
};

QTEST_GUILESS_MAIN(TestPruning)
#include "tst_pruning.moc"
