// Pareto fronts, the constraint skyline, the accuracy predictor and the searches, checked
// against brute force and against a synthetic run whose accuracy function is known.
#include <QtTest>

#include "core/util/cancelled.h"
#include <cmath>
#include <random>

#include "core/search/accuracy_predictor.h"
#include "core/search/evolution_search.h"
#include "core/search/nsga2_search.h"
#include "core/search/pareto_front.h"
#include "core/search/rank_statistics.h"
#include "core/search/streaming_front.h"
#include "core/search/subnet_skyline.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "core/util/input_error.h"

using namespace sn;

namespace {

const NetShape kShape{1, 28, 10};

// A known accuracy function over the fmnist-small space: every (stage, slot, kernel, expand)
// and (stage, depth) choice has its own effect, drawn once from a fixed seed, and larger
// networks help with diminishing returns. Not linear in the one-hot encoding, so the
// predictor has something to get wrong.
class KnownAccuracy {
 public:
  explicit KnownAccuracy(const SearchSpace& space) : space_(space) {
    std::mt19937_64 rng(2024);
    std::normal_distribution<double> effect(0.0, 0.4);
    effects_.resize(space.stageCount() * space.maxDepth() * 64);
    for (double& e : effects_) e = effect(rng);
    minMacs_ = std::log(static_cast<double>(computeCost(space, Arch::smallest(space), kShape).macs));
    maxMacs_ = std::log(static_cast<double>(computeCost(space, Arch::largest(space), kShape).macs));
  }

  double operator()(const Arch& arch) const {
    const double macs = std::log(static_cast<double>(computeCost(space_, arch, kShape).macs));
    double acc = 85.0 + 6.0 * std::sqrt((macs - minMacs_) / (maxMacs_ - minMacs_));
    for (int s = 0; s < space_.stageCount(); ++s) {
      const StageArch& st = arch.stages[s];
      for (int b = 0; b < st.depth(); ++b) {
        acc += effects_[((s * space_.maxDepth() + b) * 8 + st.kernels[b]) * 8 % effects_.size() +
                        st.expands[b]];
      }
    }
    return acc;
  }

 private:
  SearchSpace space_;
  std::vector<double> effects_;
  double minMacs_ = 0, maxMacs_ = 0;
};

bool dominatesPoint(const FrontPoint& a, const FrontPoint& b) {
  return a.cost <= b.cost && a.accuracy >= b.accuracy && (a.cost < b.cost || a.accuracy > b.accuracy);
}

SearchProblem macLimitedProblem(const SearchSpace& space, const KnownAccuracy& known, double macs) {
  SearchProblem p;
  p.space = space;
  p.shape = kShape;
  p.fitness = [&known](const Arch& a) { return known(a); };
  p.limits.maxMacs = macs;
  return p;
}

double medianMacs(const SearchSpace& space) {
  std::mt19937_64 rng(5);
  std::vector<double> macs;
  for (int i = 0; i < 501; ++i) macs.push_back(computeCost(space, Arch::sample(space, rng), kShape).macs);
  std::nth_element(macs.begin(), macs.begin() + 250, macs.end());
  return macs[250];
}

}  // namespace

class TestSearch : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void paretoFrontMatchesBruteForce() {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 50; ++trial) {
      // Coarse values, so equal costs, equal accuracies and exact duplicates all occur.
      std::uniform_int_distribution<int> coarse(0, 30);
      std::vector<FrontPoint> points;
      for (int i = 0; i < 200; ++i) points.push_back({double(coarse(rng)), double(coarse(rng))});
      std::vector<size_t> brute;
      for (size_t i = 0; i < points.size(); ++i) {
        bool dominated = false;
        for (size_t j = 0; j < points.size() && !dominated; ++j) dominated = dominatesPoint(points[j], points[i]);
        if (!dominated) brute.push_back(i);
      }
      std::vector<size_t> front = paretoFront(points);
      for (size_t k = 1; k < front.size(); ++k) QVERIFY(points[front[k - 1]].cost <= points[front[k]].cost);
      std::sort(front.begin(), front.end());
      QCOMPARE(front, brute);
    }
  }

  void streamingFrontEqualsTheSortedFront() {
    std::mt19937_64 rng(8);
    for (int trial = 0; trial < 50; ++trial) {
      // Coarse values: equal costs, equal accuracies and exact duplicates of front points,
      // in any order of arrival.
      std::uniform_int_distribution<int> coarse(0, 30);
      std::vector<FrontPoint> points;
      StreamingFront streamed;
      for (int i = 0; i < 200; ++i) {
        points.push_back({double(coarse(rng)), double(coarse(rng))});
        streamed.add(1000 + i, points.back());
      }
      const std::vector<size_t> front = paretoFront(points);
      const auto got = streamed.points();
      QCOMPARE(got.size(), front.size());
      for (size_t k = 0; k < front.size(); ++k) {
        QCOMPARE(got[k].first, int64_t(1000 + front[k]));  // duplicates in arrival order too
        QCOMPARE(got[k].second.cost, points[front[k]].cost);
        QCOMPARE(got[k].second.accuracy, points[front[k]].accuracy);
      }
    }
  }

  void skylineAnswersLikeAFullScan() {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<SkylineEntry> all;
    for (int i = 0; i < 5000; ++i) {
      SkylineEntry e;
      e.id = i;
      e.macs = std::floor(unit(rng) * 200);
      e.params = std::floor(e.macs * 0.5 + unit(rng) * 50);
      e.latencyMs = i % 10 == 0 ? std::numeric_limits<double>::infinity() : e.macs * 0.01 + unit(rng);
      e.accuracy = std::round(80 + 10 * std::sqrt(e.macs / 200) + unit(rng) * 3);
      all.push_back(e);
    }
    const SubnetSkyline once(all);
    SubnetSkyline incremental;
    for (const SkylineEntry& e : all) incremental.add(e);
    QVERIFY(once.entries().size() < all.size() / 5);
    for (int q = 0; q < 2000; ++q) {
      CostLimits limits;
      limits.maxMacs = unit(rng) * 220;
      if (q % 2) limits.maxParams = unit(rng) * 150;
      if (q % 3) limits.maxLatencyMs = unit(rng) * 3;
      std::optional<double> bestAccuracy;
      for (const SkylineEntry& e : all) {
        if (limits.admits(e) && (!bestAccuracy || e.accuracy > *bestAccuracy)) bestAccuracy = e.accuracy;
      }
      for (const SubnetSkyline* sky : {&once, static_cast<const SubnetSkyline*>(&incremental)}) {
        const std::optional<SkylineEntry> got = sky->best(limits);
        QCOMPARE(got.has_value(), bestAccuracy.has_value());
        if (!got) continue;
        QVERIFY(limits.admits(*got));
        QCOMPARE(got->accuracy, *bestAccuracy);
      }
    }
  }

  void kendallTauOfKnownRankings() {
    QCOMPARE(kendallTau({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
    QCOMPARE(kendallTau({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
    QCOMPARE(kendallTau({1, 2, 3}, {1, 3, 2}), 1.0 / 3.0);
    QCOMPARE(rootMeanSquaredError({1, 2}, {1, 4}), std::sqrt(2.0));
  }

  void predictorRanksHeldOutSubnetsOfAKnownFunction() {
    const SearchSpace space = spacePreset("fmnist-small");
    const KnownAccuracy known(space);
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0.0, 0.1);  // re-evaluation noise of a real run
    std::vector<Arch> archs;
    std::vector<double> accuracy;
    for (int i = 0; i < 400; ++i) {
      archs.push_back(Arch::sample(space, rng));
      accuracy.push_back(known(archs.back()) + noise(rng));
    }
    const PredictorReport report = AccuracyPredictor::holdOut(space, NetShape{}, archs, accuracy, 0.25, 1);
    qInfo("predictor on the known function: fitted %d, held out %d, RMSE %.3f, Kendall tau %.3f, model %s",
          report.fitted, report.heldOut, report.rmse, report.kendallTau, report.model.c_str());
    QCOMPARE(report.heldOut, 100);
    QVERIFY2(report.kendallTau > 0.5, std::to_string(report.kendallTau).c_str());
  }

  void predictorNeedsEnoughSubnets() {
    const SearchSpace space = spacePreset("fmnist-small");
    std::vector<Arch> archs(3, Arch::largest(space));
    QVERIFY_THROWS_EXCEPTION(InputError, AccuracyPredictor::fit(space, NetShape{}, archs, {1, 2, 3}));
  }

  void evolutionBeatsRandomSearchAtEqualEvaluations() {
    const SearchSpace space = spacePreset("fmnist-small");
    const KnownAccuracy known(space);
    const SearchProblem problem = macLimitedProblem(space, known, medianMacs(space));
    double evoSum = 0, randomSum = 0;
    int evoWins = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      EvolutionOptions o;
      o.population = 50;
      o.generations = 40;
      o.seed = seed;
      const SearchResult evo = evolutionSearch(problem, o);
      const SearchResult random = randomSearch(problem, evo.evaluations, 10, seed);
      QCOMPARE(random.evaluations, evo.evaluations);
      QCOMPARE(evolutionEvaluations(o), evo.evaluations);
      for (const Candidate& c : evo.candidates) QVERIFY(c.macs <= problem.limits.maxMacs);
      for (const Candidate& c : random.candidates) QVERIFY(c.macs <= problem.limits.maxMacs);
      QCOMPARE(evo.candidates.front().fitness, known(evo.candidates.front().arch));
      evoSum += evo.candidates.front().fitness;
      randomSum += random.candidates.front().fitness;
      evoWins += evo.candidates.front().fitness >= random.candidates.front().fitness ? 1 : 0;
    }
    qInfo("best under the MAC limit, mean of 10 seeds: evolution %.3f, random %.3f (evolution at least as good in %d/10)",
          evoSum / 10, randomSum / 10, evoWins);
    QVERIFY(evoSum > randomSum);
    QVERIFY(evoWins >= 8);
  }

  void nsga2GivesAFrontWithinTheLimits() {
    const SearchSpace space = spacePreset("fmnist-small");
    const KnownAccuracy known(space);
    const SearchProblem problem = macLimitedProblem(space, known, medianMacs(space));
    EvolutionOptions o;
    o.population = 60;
    o.generations = 40;
    const SearchResult front = nsga2Search(problem, o, FrontCost::Macs);
    QVERIFY(front.candidates.size() >= 5);
    for (size_t i = 0; i < front.candidates.size(); ++i) {
      const Candidate& c = front.candidates[i];
      QVERIFY(c.macs <= problem.limits.maxMacs);
      if (i > 0) QVERIFY(front.candidates[i - 1].macs <= c.macs);
      for (const Candidate& d : front.candidates) {
        QVERIFY(!dominatesPoint({double(d.macs), d.fitness}, {double(c.macs), c.fitness}));
      }
    }
    // The front reaches below what random sampling finds at the cheap end.
    QVERIFY(front.candidates.front().macs <= computeCost(space, Arch::smallest(space), kShape).macs * 1.2);
  }

  void impossibleLimitsAreReportedNotSearched() {
    const SearchSpace space = spacePreset("fmnist-small");
    const KnownAccuracy known(space);
    const SearchProblem problem = macLimitedProblem(space, known, 1000);
    try {
      evolutionSearch(problem, EvolutionOptions{});
      QFAIL("expected InputError");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("even the smallest"), e.what());
    }
  }

  // The one job contract: reports reach the listener (renamed by asStage), tick throws
  // Cancelled once the flag is set, a default-made control does nothing.
  void jobControlReportsAndCancels() {
    std::atomic<bool> cancel{false};
    std::vector<JobProgress> heard;
    const JobControl job(&cancel, [&](const JobProgress& p) { heard.push_back(p); });
    job.tick("verify", 1, 3);
    job.asStage("fine-tuning").report("steps", 5, 10);
    QCOMPARE(heard.size(), size_t{2});
    QCOMPARE(heard[0].stage, std::string("verify"));
    QCOMPARE(heard[1].stage, std::string("fine-tuning"));
    QCOMPARE(heard[1].done, int64_t{5});
    QCOMPARE(heard[1].total, int64_t{10});
    QVERIFY(!job.cancelled());
    cancel = true;
    QVERIFY(job.asStage("x").cancelled());
    QVERIFY_THROWS_EXCEPTION(Cancelled, job.tick("verify", 2, 3));
    QCOMPARE(heard.size(), size_t{2});  // nothing reported once cancelled
    const JobControl none;
    none.tick("anything", 1, 1);
    QVERIFY(!none.cancelled() && !none.cancelFlag());
  }

  void searchStopsWhenAsked() {
    const SearchSpace space = spacePreset("fmnist-small");
    const KnownAccuracy known(space);
    const SearchProblem problem = macLimitedProblem(space, known, medianMacs(space));
    std::atomic<bool> stop{false};
    int generations = 0;
    SearchControl control;
    control.job = JobControl(&stop, [&](const JobProgress& p) {
      QCOMPARE(p.stage, std::string("search"));
      generations = static_cast<int>(p.done);
      if (p.done == 3) stop = true;
    });
    const SearchResult r = evolutionSearch(problem, EvolutionOptions{}, control);
    QVERIFY(r.cancelled);
    QCOMPARE(generations, 3);
    QVERIFY(!r.candidates.empty());
  }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
