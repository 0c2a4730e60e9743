// The accuracy predictor's candidates and the chooser, on synthetic runs whose ranking is
// known: a target additive in the one-hot choices (ridge's home ground) and one that is
// not (the best subnets are mid-sized), where only a non-linear model ranks well.
#include <QtTest>
#include <cmath>
#include <random>
#include <torch/torch.h>

#include "core/search/accuracy_predictor.h"
#include "core/search/rank_statistics.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"

using namespace sn;

namespace {

const NetShape kShape{1, 28, 10};

struct SyntheticRun {
  std::vector<Arch> archs;
  std::vector<double> accuracy;
};

// Accuracy as a sum of one effect per (stage, slot, kernel), per (stage, slot, expand) and
// per stage depth: what the one-hot encoding can express exactly.
double additive(const SearchSpace& space, const Arch& arch) {
  double acc = 0.85;
  for (int s = 0; s < space.stageCount(); ++s) {
    const StageArch& st = arch.stages[s];
    acc += 0.004 * st.depth() * (s + 1);
    for (int b = 0; b < st.depth(); ++b) {
      acc += 0.001 * ((st.kernels[b] * 7 + s * 5 + b) % 5) + 0.001 * ((st.expands[b] * 3 + s + b) % 4);
    }
  }
  return acc;
}

// Best at the middle of the MAC range, worse both ways: no sum of per-choice effects, and
// no straight line in MACs, follows it.
double midSized(const SearchSpace& space, const Arch& arch) {
  const double lo = static_cast<double>(computeCost(space, Arch::smallest(space), kShape).macs);
  const double hi = static_cast<double>(computeCost(space, Arch::largest(space), kShape).macs);
  const double share = (computeCost(space, arch, kShape).macs - lo) / (hi - lo);
  return 0.9 - 0.05 * (share - 0.5) * (share - 0.5);
}

SyntheticRun syntheticRun(const SearchSpace& space, int n, uint64_t seed, double noise,
                          double (*accuracy)(const SearchSpace&, const Arch&)) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> evalNoise(0.0, noise);
  SyntheticRun run;
  for (int i = 0; i < n; ++i) {
    run.archs.push_back(Arch::sample(space, rng));
    run.accuracy.push_back(accuracy(space, run.archs.back()) + evalNoise(rng));
  }
  return run;
}

const ModelScore& scoreOf(const std::vector<ModelScore>& scores, const std::string& model) {
  for (const ModelScore& s : scores) {
    if (s.model == model) return s;
  }
  throw std::runtime_error("no score for " + model);
}

void printScores(const std::vector<ModelScore>& scores) {
  for (const std::string& line : predictorTable(scores)) qInfo("%s", line.c_str());
}

}  // namespace

class TestPredictorChooser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void ridgeRanksAnAdditiveTargetAndTheChoiceIsAtLeastAsGood() {
    const SearchSpace space = spacePreset("fmnist-small");
    const SyntheticRun run = syntheticRun(space, 150, 1, 0.0005, additive);
    const AccuracyPredictor p = AccuracyPredictor::fit(space, kShape, run.archs, run.accuracy);
    printScores(p.scores());
    QCOMPARE(p.scores().size(), size_t(4));
    QVERIFY(scoreOf(p.scores(), "ridge").cvTau.tau > 0.85);
    for (const ModelScore& s : p.scores()) QVERIFY(p.chosen().cvTau.tau >= s.cvTau.tau);
    const SyntheticRun fresh = syntheticRun(space, 200, 2, 0.0, additive);
    std::vector<double> predicted;
    for (const Arch& a : fresh.archs) predicted.push_back(p.predict(a));
    QVERIFY(kendallTau(predicted, fresh.accuracy) > 0.8);
  }

  void aNonAdditiveTargetIsGivenToANonLinearModel() {
    const SearchSpace space = spacePreset("fmnist-small");
    const SyntheticRun run = syntheticRun(space, 150, 3, 0.0002, midSized);
    const AccuracyPredictor p = AccuracyPredictor::fit(space, kShape, run.archs, run.accuracy);
    printScores(p.scores());
    const std::string chosen = p.chosen().model;
    QVERIFY2(chosen == "mlp" || chosen == "gbt", chosen.c_str());
    QVERIFY(p.chosen().cvTau.tau > scoreOf(p.scores(), "ridge").cvTau.tau + 0.1);
    QVERIFY(p.chosen().cvTau.tau > 0.6);
    // The interval is an interval around the figure.
    QVERIFY(p.chosen().cvTau.low <= p.chosen().cvTau.tau);
    QVERIFY(p.chosen().cvTau.tau <= p.chosen().cvTau.high);
  }

  void holdOutScoresEveryModelOnTheSameSplit() {
    const SearchSpace space = spacePreset("fmnist-small");
    const SyntheticRun run = syntheticRun(space, 100, 4, 0.0005, additive);
    const PredictorReport r =
        AccuracyPredictor::holdOut(space, kShape, run.archs, run.accuracy, 0.3, 1);
    printScores(r.models);
    QCOMPARE(r.heldOut, 30);
    QCOMPARE(r.fitted, 70);
    QCOMPARE(r.models.size(), size_t(4));
    for (const ModelScore& m : r.models) QVERIFY(m.heldOutTau.has_value());
    const ModelScore& chosen = scoreOf(r.models, r.model);
    QCOMPARE(r.kendallTau, chosen.heldOutTau->tau);
    QCOMPARE(r.cvTau.tau, chosen.cvTau.tau);
    QVERIFY(describePredictor(r).find(r.model) != std::string::npos);
  }

  void tauIntervalNarrowsWithMoreSubnets() {
    std::mt19937_64 rng(9);
    std::normal_distribution<double> noise(0.0, 1.0);
    const auto interval = [&](int n) {
      std::vector<double> a, b;
      for (int i = 0; i < n; ++i) {
        a.push_back(i);
        b.push_back(i + 0.5 * n * noise(rng) / 3);
      }
      return kendallTauInterval(a, b, 300, 1);
    };
    const TauInterval small = interval(40);
    const TauInterval large = interval(400);
    QVERIFY(small.low <= small.tau && small.tau <= small.high);
    QVERIFY(large.low <= large.tau && large.tau <= large.high);
    QVERIFY(large.high - large.low < small.high - small.low);
  }

  void fittingTheMlpLeavesTheGlobalRandomStreamAlone() {
    // The GUI fits the predictor while a run trains in the same process.
    const SearchSpace space = spacePreset("fmnist-small");
    const SyntheticRun run = syntheticRun(space, 30, 5, 0.001, additive);
    torch::manual_seed(42);
    const torch::Tensor expected = torch::rand({8});
    torch::manual_seed(42);
    AccuracyPredictor::fit(space, kShape, run.archs, run.accuracy);
    QVERIFY(torch::equal(torch::rand({8}), expected));
  }

  void theSameRunGivesTheSamePredictor() {
    const SearchSpace space = spacePreset("fmnist-small");
    const SyntheticRun run = syntheticRun(space, 40, 6, 0.001, midSized);
    const AccuracyPredictor a = AccuracyPredictor::fit(space, kShape, run.archs, run.accuracy);
    const AccuracyPredictor b = AccuracyPredictor::fit(space, kShape, run.archs, run.accuracy);
    QCOMPARE(a.chosen().model, b.chosen().model);
    for (const Arch& arch : run.archs) QCOMPARE(a.predict(arch), b.predict(arch));
  }
};

QTEST_APPLESS_MAIN(TestPredictorChooser)
#include "tst_predictor_chooser.moc"
