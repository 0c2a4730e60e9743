// The training methods' sampling, on their definitions: the shares of choices over 10k draws,
// Progressive Shrinking's phases, attentive's pick, DεpS's switch, complexity-shifted bins
// following the loss; and their recipes' validation. No training here (tst_training_methods_run
// trains each method and resumes it).
#include <QtTest>

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <set>

#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "core/space/search_space.h"
#include "core/train/attentive_method.h"
#include "core/train/complexity_shifted_method.h"
#include "core/train/delayed_shrinking_method.h"
#include "core/train/lr_schedule.h"
#include "core/train/progressive_shrinking_method.h"
#include "core/train/step_values.h"
#include "core/train/train_recipe.h"
#include "core/train/uniform_method.h"
#include "core/util/input_error.h"
#include "test_support.h"

using namespace sn;

namespace {

const NetShape kShape{3, 32, 10};

// Pearson's chi-square of observed counts against expected shares; with k - 1 degrees of
// freedom. The bounds used below are the 0.999 quantiles (a 1-in-1000 false alarm with a
// fixed seed never moves).
double chiSquare(const std::vector<double>& counts, const std::vector<double>& shares) {
  double total = 0;
  for (double c : counts) total += c;
  double x = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const double expected = total * shares[i];
    x += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return x;
}
// 0.999 quantiles of chi-square with 1..4 degrees of freedom.
double chiBound(size_t categories) {
  static const double q[] = {0, 10.83, 13.82, 16.27, 18.47};
  return q[categories - 1];
}

// Counts of every kernel, expand (per active block) and depth (per stage) of the sampled passes.
struct ChoiceCounts {
  std::map<int, double> kernels, expands, depths;
  void add(const Arch& a) {
    for (const StageArch& s : a.stages) {
      depths[s.depth()] += 1;
      for (int b = 0; b < s.depth(); ++b) {
        kernels[s.kernels[b]] += 1;
        expands[s.expands[b]] += 1;
      }
    }
  }
  static std::vector<double> values(const std::map<int, double>& m) {
    std::vector<double> v;
    for (const auto& [k, c] : m) v.push_back(c);
    return v;
  }
};

StepContext contextAt(int64_t step, std::mt19937_64& rng) {
  StepContext c;
  c.step = step;
  c.baseLr = 0.1;
  c.warmupSteps = 10;
  c.totalSteps = 1000;
  c.rng = &rng;
  return c;
}

std::string errorOf(const nlohmann::json& recipe) {
  try {
    TrainRecipe::fromJson(recipe, "p.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestTrainingMethods : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void uniformSharesFollowTheSpace() {
    // Uniform: each subnet's depth uniform per stage, each active block's kernel and expand
    // uniform, every pass from the labels.
    const SearchSpace space = spacePreset("ofa-mbv3");
    UniformMethod method(space, UniformSpec{4});
    std::mt19937_64 rng(3);
    ChoiceCounts counts;
    for (int step = 0; step < 2500; ++step) {
      for (const PlannedPass& p : method.plan(contextAt(step, rng))) {
        QVERIFY(p.role == PassRole::Sampled && p.kind == PassKind::Labels);
        counts.add(p.arch);
      }
    }
    const auto uniform = [](size_t n) { return std::vector<double>(n, 1.0 / n); };
    QVERIFY(chiSquare(ChoiceCounts::values(counts.depths), uniform(space.depths.size())) < chiBound(space.depths.size()));
    QVERIFY(chiSquare(ChoiceCounts::values(counts.kernels), uniform(space.kernels.size())) < chiBound(space.kernels.size()));
    QVERIFY(chiSquare(ChoiceCounts::values(counts.expands), uniform(space.expands.size())) < chiBound(space.expands.size()));
  }

  void stepValuesCountTheSampledChoices() {
    const SearchSpace space = spacePreset("fmnist-tiny");
    const Arch a = Arch::parse("d=1,2,2 k=3|5,5|3,3 e=2|2,3|3,3", space);
    const std::vector<PlannedPass> passes = {{Arch::largest(space), PassRole::Largest, PassKind::Labels, 1.0},
                                             {a, PassRole::Sampled, PassKind::Distill, 1.0}};
    const std::vector<double> v = StepValues::hostPart(space, passes, 2.0);
    // present: largest, no smallest, sampled; 2 passes; kernels 3/5 of 5 blocks: 3 and 2.
    const std::vector<double> expected = {1, 0, 1, 2, 3.0 / 5, 2.0 / 5, 2.0 / 5, 3.0 / 5, 1.0 / 3, 2.0 / 3};
    QCOMPARE(v.size(), expected.size());
    for (size_t i = 0; i < v.size(); ++i) QCOMPARE(v[i], expected[i]);
    QCOMPARE(StepValues::shareNames(space).front(), std::string("sampling/share/kernel/3"));
  }

  void progressiveShrinkingPhasesEnableExactlyTheirChoices() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    ProgressiveShrinkingSpec spec;  // 4 phases over the run's steps, split evenly
    ProgressiveShrinkingMethod method(space, spec, 100, 1200);
    const auto& phases = method.phases();
    // largest, kernel, depth-1.., expand-1..: one sub-phase per further depth and expand choice.
    QCOMPARE(phases.size(), 2 + (space.depths.size() - 1) + (space.expands.size() - 1));
    QCOMPARE(phases.front().name, std::string("largest"));
    QCOMPARE(phases.back().end, int64_t(1200));
    std::mt19937_64 rng(5);
    for (size_t i = 0; i < phases.size(); ++i) {
      const ShrinkingPhase& ph = phases[i];
      QCOMPARE(method.phaseAt(ph.start), i);
      ChoiceCounts counts;
      for (int64_t step = ph.start; step < ph.end; step += 1) {
        const std::vector<PlannedPass> passes = method.plan(contextAt(step, rng));
        QVERIFY(passes[0].role == PassRole::Largest);
        if (i == 0) {
          QCOMPARE(passes.size(), size_t(1));
          QVERIFY(passes[0].kind == PassKind::Labels);
          continue;
        }
        QVERIFY(passes[0].kind == PassKind::Teacher);
        QCOMPARE(passes.size(), size_t(1 + spec.subnetsPerStep));
        for (size_t k = 1; k < passes.size(); ++k) {
          // Labels and the teacher both: distillation alone lets the subnets collapse together.
          QVERIFY(passes[k].kind == PassKind::LabelsAndDistill);
          counts.add(passes[k].arch);
        }
      }
      if (i == 0) continue;
      // Exactly the phase's choices appear: none outside, every one inside.
      const auto keys = [](const std::map<int, double>& m) {
        std::vector<int> k;
        for (const auto& [v, c] : m) k.push_back(v);
        return k;
      };
      QCOMPARE(keys(counts.kernels), ph.kernels);
      QCOMPARE(keys(counts.depths), ph.depths);
      QCOMPARE(keys(counts.expands), ph.expands);
      // The learning rate restarts: the elastic phases start at lr x elastic_lr_factor.
      QCOMPARE(method.learningRate(0.1, ph.start, 10, 1200), 0.1 * spec.elasticLrFactor);
      QVERIFY(method.learningRate(0.1, ph.end - 1, 10, 1200) < 0.01 * spec.elasticLrFactor);
    }
    // Depth before expand, the largest choices first.
    QCOMPARE(phases[2].depths, (std::vector<int>{space.depths.end()[-2], space.depths.back()}));
    QCOMPARE(phases[2].expands, std::vector<int>{space.maxExpand()});
    QCOMPARE(phases.back().expands, space.expands);
    // The phase's enabled choices are what the GUI and the sampling/enabled rows show.
    double enabledKernels = 0;
    for (const auto& [name, value] : method.metricValues(phases[1].start)) {
      if (name.rfind("sampling/enabled/kernel/", 0) == 0) enabledKernels += value;
    }
    QCOMPARE(enabledKernels, static_cast<double>(space.kernels.size()));
  }

  void progressiveShrinkingPhasesInEpochs() {
    const SearchSpace space = spacePreset("fmnist-tiny");  // 2 depths, 2 expands: one sub-phase each
    ProgressiveShrinkingSpec spec;
    spec.largestEpochs = 2;
    spec.kernelEpochs = 1;
    spec.depthEpochs = 1;
    spec.expandEpochs = 1;
    // A run of 7 epochs: the expand phase takes the 2 left over.
    ProgressiveShrinkingMethod method(space, spec, 10, 70);
    const auto& p = method.phases();
    QCOMPARE(p.size(), size_t(4));
    QCOMPARE(p[0].end, int64_t(20));
    QCOMPARE(p[1].end, int64_t(30));
    QCOMPARE(p[2].end, int64_t(40));
    QCOMPARE(p[3].end, int64_t(70));
  }

  void attentivePicksTheBestOrWorstOfItsCandidates() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    for (const std::string pick : {"best", "worst"}) {
      AttentiveSpec spec;
      spec.pick = pick;
      spec.candidates = 4;
      AttentiveMethod method(space, kShape, spec, 2, 1);
      // A loss that ranks subnets by MACs: the larger, the lower.
      std::mt19937_64 rng(9);
      StepContext c = contextAt(0, rng);
      int scored = 0;
      c.lossOf = [&](const std::vector<Arch>& archs) {
        std::vector<double> losses;
        for (const Arch& a : archs) losses.push_back(1e9 / static_cast<double>(computeCost(space, a, kShape).macs));
        scored += static_cast<int>(archs.size());
        return losses;
      };
      MacBins bins(space, kShape, spec.bands, 1);
      for (int step = 0; step < 200; ++step) {
        c.step = step;
        const std::vector<PlannedPass> passes = method.plan(c);
        QCOMPARE(passes.size(), size_t(4));  // largest, smallest, 2 picked
        const auto& draws = method.lastDraws();
        QCOMPARE(draws.size(), size_t(2));
        for (size_t d = 0; d < draws.size(); ++d) {
          QCOMPARE(draws[d].candidates.size(), size_t(4));
          std::vector<int64_t> macs;
          for (const Arch& a : draws[d].candidates) macs.push_back(computeCost(space, a, kShape).macs);
          const auto best = std::max_element(macs.begin(), macs.end()) - macs.begin();
          const auto worst = std::min_element(macs.begin(), macs.end()) - macs.begin();
          QCOMPARE(passes[2 + d].arch, draws[d].candidates[pick == "best" ? best : worst]);
        }
      }
      QCOMPARE(scored, 200 * 2 * 4);
      QVERIFY(!method.usesPredictor());
    }
  }

  void attentiveBandsAreDrawnUniformly() {
    // Each pick's candidates share one MAC band, and the bands come up equally often.
    const SearchSpace space = spacePreset("ofa-mbv3");
    AttentiveSpec spec;
    AttentiveMethod method(space, kShape, spec, 1, 1);
    MacBins bins(space, kShape, spec.bands, 1);
    std::mt19937_64 rng(11);
    StepContext c = contextAt(0, rng);
    c.lossOf = [](const std::vector<Arch>& archs) { return std::vector<double>(archs.size(), 1.0); };
    std::vector<double> bandCounts(static_cast<size_t>(spec.bands));
    for (int step = 0; step < 2000; ++step) {
      method.plan(c);
      const auto& d = method.lastDraws().front();
      const int band = bins.binOf(d.candidates[0]);
      for (const Arch& a : d.candidates) QCOMPARE(bins.binOf(a), band);
      bandCounts[static_cast<size_t>(band)] += 1;
    }
    QVERIFY(chiSquare(bandCounts, std::vector<double>(bandCounts.size(), 1.0 / bandCounts.size())) < chiBound(5));
  }

  void attentiveUsesThePredictorOnceFitted() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    AttentiveSpec spec;
    spec.criterion = "predictor";
    AttentiveMethod method(space, kShape, spec, 2, 1);
    // The probe evaluations of an epoch: accuracy rising with MACs.
    std::mt19937_64 rng(13);
    std::vector<Arch> archs;
    std::vector<double> accuracy;
    for (int i = 0; i < 24; ++i) {
      archs.push_back(Arch::sample(space, rng));
      accuracy.push_back(0.5 + 0.4 * std::log(static_cast<double>(computeCost(space, archs.back(), kShape).macs)) / 20);
    }
    method.observe(archs, accuracy);
    QVERIFY(method.usesPredictor());
    StepContext c = contextAt(0, rng);
    c.lossOf = [](const std::vector<Arch>&) -> std::vector<double> {
      throw std::logic_error("the loss criterion must not run once the predictor is fitted");
    };
    method.plan(c);
    for (const auto& d : method.lastDraws()) {
      QCOMPARE(d.picked, static_cast<size_t>(std::max_element(d.scores.begin(), d.scores.end()) - d.scores.begin()));
    }
    // Its state carries the evaluations: a restored method predicts the same.
    AttentiveMethod restored(space, kShape, spec, 2, 1);
    restored.restore(method.state(), "ckpt.pt");
    QVERIFY(restored.usesPredictor());
    std::mt19937_64 a(1), b(1);
    StepContext ca = contextAt(5, a), cb = contextAt(5, b);
    QCOMPARE(method.plan(ca)[2].arch, restored.plan(cb)[2].arch);
    QCOMPARE(method.lastDraws()[0].scores, restored.lastDraws()[0].scores);
  }

  void delayedShrinkingTrainsNoSubnetBeforeItsSwitch() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    DelayedShrinkingSpec spec;  // switch at 50 %, ramp over 10 %
    DelayedShrinkingMethod method(space, spec, 2, 1000);
    QCOMPARE(method.switchStep(), int64_t(500));
    std::mt19937_64 rng(17);
    for (int64_t step = 0; step < 500; ++step) {
      const std::vector<PlannedPass> passes = method.plan(contextAt(step, rng));
      QCOMPARE(passes.size(), size_t(1));
      QVERIFY(passes[0].role == PassRole::Largest && passes[0].kind == PassKind::Labels);
    }
    // From the switch: the sandwich, the subnets' effective learning rate rising linearly to
    // the schedule's at the ramp's end, the largest's weight 1 throughout.
    const double target = cosineWarmupLr(0.1, 600, 10, 1000);
    double lastEffective = 0;
    for (int64_t step = 500; step < 1000; ++step) {
      const std::vector<PlannedPass> passes = method.plan(contextAt(step, rng));
      QCOMPARE(passes.size(), size_t(4));
      QVERIFY(passes[0].role == PassRole::Largest && passes[0].weight == 1.0);
      QVERIFY(passes[1].role == PassRole::Smallest);
      const double effective = passes[1].weight * cosineWarmupLr(0.1, step, 10, 1000);
      if (step < 600) {
        QVERIFY(std::abs(effective - target * (step - 499) / 100.0) < 1e-12);
        QVERIFY(effective > lastEffective);
        for (size_t k = 2; k < passes.size(); ++k) QCOMPARE(passes[k].weight, passes[1].weight);
      } else {
        QCOMPARE(passes[1].weight, 1.0);
      }
      lastEffective = effective;
    }
  }

  void complexityShiftedMovesTowardTheHigherLossBin() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    ComplexityShiftedSpec spec;
    ComplexityShiftedMethod method(space, kShape, spec, 2, 1);
    const size_t bins = static_cast<size_t>(method.bins().count());
    for (double p : method.probabilities()) QCOMPARE(p, 1.0 / bins);
    // Subnets of bin 1 lose 2.0, the others 0.5: after a few updates bin 1 is the likeliest.
    std::mt19937_64 rng(19);
    for (int64_t step = 0; step < 5 * spec.updateEvery; ++step) {
      const std::vector<PlannedPass> passes = method.plan(contextAt(step, rng));
      std::vector<at::Tensor> losses;
      for (const PlannedPass& p : passes) {
        const bool high = p.role == PassRole::Sampled && method.bins().binOf(p.arch) == 1;
        losses.push_back(torch::tensor(high ? 2.0f : 0.5f));
      }
      method.afterStep(step, passes, losses);
    }
    const std::vector<double> p = method.probabilities();
    double sum = 0;
    for (double v : p) sum += v;
    QVERIFY(std::abs(sum - 1) < 1e-12);
    for (size_t b = 0; b < bins; ++b) {
      if (b != 1) QVERIFY2(p[1] > p[b] && p[b] >= spec.floor / bins - 1e-12, std::to_string(p[b]).c_str());
    }
    QVERIFY(p[1] > 1.0 / bins);
    // Draws follow the probabilities (each random subnet lands in its drawn bin).
    std::vector<double> counts(bins);
    for (int step = 0; step < 5000; ++step) {
      const std::vector<PlannedPass> passes = method.plan(contextAt(step, rng));
      for (size_t k = 2; k < passes.size(); ++k) counts[static_cast<size_t>(method.bins().binOf(passes[k].arch))] += 1;
    }
    QVERIFY(chiSquare(counts, p) < chiBound(bins < 5 ? bins : 5) + 5);
    // The state restores the same probabilities and the pending sums.
    ComplexityShiftedMethod restored(space, kShape, spec, 2, 1);
    restored.restore(method.state(), "ckpt.pt");
    QCOMPARE(restored.probabilities(), method.probabilities());
    QCOMPARE(restored.state(), method.state());
  }

  void recipesNameTheirMethodAndCheckIt() {
    TrainRecipe r;
    QCOMPARE(r.method.name, std::string("sandwich"));
    QVERIFY(!r.toJson().contains("method"));  // older configs and their diffs stay as they were
    nlohmann::json j = r.toJson();
    j["method"] = "attentive";
    j["attentive"] = {{"candidates", 3}, {"pick", "worst"}};
    const TrainRecipe a = TrainRecipe::fromJson(j, "p.json");
    QCOMPARE(a.method.attentive.candidates, 3);
    QCOMPARE(a.method.attentive.pick, std::string("worst"));
    QCOMPARE(TrainRecipe::fromJson(a.toJson(), "p.json").toJson(), a.toJson());
    for (const std::string& name : MethodSpec::names()) {
      nlohmann::json m = r.toJson();
      m["method"] = name;
      QCOMPARE(TrainRecipe::fromJson(m, "p.json").method.name, name);
    }

    j = r.toJson();
    j["method"] = "spos";
    QVERIFY(errorOf(j).find("p.json: recipe method 'spos' is not one of sandwich, uniform") == 0);
    j["method"] = "attentive";
    j["attentive"] = {{"pick", "median"}};
    QCOMPARE(errorOf(j), std::string("p.json: recipe attentive.pick must be best or worst, not 'median'"));
    j["attentive"] = {{"criterion", "predictor"}};
    QVERIFY(errorOf(j).find("probe.subnets of at least 10") != std::string::npos);
    j["method"] = "delayed-shrinking";
    j["delayed_shrinking"] = {{"switch_fraction", 1.5}};
    QCOMPARE(errorOf(j), std::string("p.json: recipe delayed_shrinking.switch_fraction must be in [0, 1)"));
    j["method"] = "progressive-shrinking";
    j["progressive_shrinking"] = {{"largest_epochs", 2}};
    QVERIFY(errorOf(j).find("given all four") != std::string::npos);
    j["method"] = "complexity-shifted";
    j["complexity_shifted"] = {{"bins", 1}};
    QCOMPARE(errorOf(j), std::string("p.json: recipe complexity_shifted.bins must be 2 to 50"));
    j["complexity_shifted"] = {{"temperature", "hot"}};
    QCOMPARE(errorOf(j), std::string("p.json: recipe complexity_shifted.temperature must be a number, not \"hot\""));
  }
};

QTEST_APPLESS_MAIN(TestTrainingMethods)
#include "tst_training_methods.moc"
