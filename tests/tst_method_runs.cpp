// Every training method trains a real (small) Fashion-MNIST supernet, writes its sampling/...
// rows, and, stopped mid-run and resumed, writes exactly the rows of an uninterrupted run: the
// method's state (phase, predictor, bin statistics) travels in the checkpoint.
#include <QtTest>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "core/project/project.h"
#include "core/project/training_session.h"
#include "core/util/allocator_tuning.h"
#include "db/store.h"
#include "stop_at.h"
#include "test_support.h"

using namespace sn;

namespace {

// fmnist-tiny on 512 images, 8 steps an epoch, 3 epochs: exactness, not learning.
Project makeProject(const std::string& dir, const nlohmann::json& method) {
  Project project = Project::create(dir, "fmnist-tiny");
  ProjectConfig config = project.config();
  config.dataset.trainLimit = 512;
  config.dataset.testLimit = 200;
  nlohmann::json recipe = config.recipe.toJson();
  recipe.update(method);
  recipe["batch_size"] = 64;
  recipe["epochs"] = 3;
  recipe["log_every"] = 2;
  recipe["eval"] = {{"recal_batches", 2}, {"batch_size", 100}};
  recipe["subnets_per_step"] = 1;
  config.recipe = TrainRecipe::fromJson(recipe, "test");
  project.saveConfig(config);
  return project;
}

std::vector<double> valuesOf(Project& p, int64_t run, const std::string& key) {
  std::vector<double> v;
  for (const MetricSample& m : p.store().metrics().series(run, key)) v.push_back(m.value);
  return v;
}

std::vector<int64_t> stepsOf(Project& p, int64_t run, const std::string& key) {
  std::vector<int64_t> v;
  for (const MetricSample& m : p.store().metrics().series(run, key)) v.push_back(m.step);
  return v;
}

}  // namespace

class TestMethodRuns : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { keepFreedMemoryForReuse(); }

  void uniform() {
    Runs r = resumeMatches({{"method", "uniform"}, {"uniform", {{"subnets", 2}}}});
    if (QTest::currentTestFailed()) return;
    // No largest and no distillation: the rows say so.
    QVERIFY(valuesOf(r.project, r.run, "loss/largest").empty());
    QVERIFY(valuesOf(r.project, r.run, "loss/smallest").empty());
    QVERIFY(!valuesOf(r.project, r.run, "loss/random").empty());
    for (double passes : valuesOf(r.project, r.run, "budget/passes_per_step")) QCOMPARE(passes, 2.0);
  }

  void progressiveShrinking() {
    // 24 steps: largest 0-5, kernel 6-11, depth 12-17, expand 18-23; the stop is in the kernel phase.
    Runs r = resumeMatches({{"method", "progressive-shrinking"}, {"progressive_shrinking", {{"subnets_per_step", 1}}}});
    if (QTest::currentTestFailed()) return;
    const std::vector<int64_t> steps = stepsOf(r.project, r.run, "sampling/phase");
    const std::vector<double> phases = valuesOf(r.project, r.run, "sampling/phase");
    QVERIFY(!phases.empty());
    for (size_t i = 0; i < phases.size(); ++i) {
      // A row at step s covers the steps before it: the phase of step s - 1 ... s holds the next.
      QCOMPARE(phases[i], static_cast<double>(std::min<int64_t>(3, steps[i] / 6)));
    }
    // The largest phase samples nothing: no share rows before step 6.
    QVERIFY(stepsOf(r.project, r.run, "sampling/share/kernel/5").front() > 6);
    // In the kernel phase (rows at steps 8-12) depth and expand stay at their largest.
    const auto shareAt = [&](const std::string& key, int64_t step) {
      const auto s = stepsOf(r.project, r.run, key);
      const auto v = valuesOf(r.project, r.run, key);
      return v[static_cast<size_t>(std::find(s.begin(), s.end(), step) - s.begin())];
    };
    QCOMPARE(shareAt("sampling/share/depth/2", 10), 1.0);
    QCOMPARE(shareAt("sampling/share/expand/3", 10), 1.0);
    QVERIFY(shareAt("sampling/share/kernel/3", 10) > 0);
    QCOMPARE(shareAt("sampling/enabled/expand/2", 10), 0.0);
    QCOMPARE(shareAt("sampling/enabled/expand/2", 24), 1.0);
  }

  void attentive() {
    Runs r = resumeMatches({{"method", "attentive"},
                            {"attentive", {{"criterion", "predictor"}, {"candidates", 3}}},
                            {"probe", {{"subnets", 10}, {"every", 1}}}});
    if (QTest::currentTestFailed()) return;
    // The predictor is fitted on the first epoch's 10 probe subnets and used from then on.
    const std::vector<double> used = valuesOf(r.project, r.run, "sampling/criterion_predictor");
    QCOMPARE(used.front(), 0.0);
    QCOMPARE(used.back(), 1.0);
    QVERIFY(!valuesOf(r.project, r.run, "sampling/predictor_cv_tau").empty());
  }

  void delayedShrinking() {
    // The switch at step 10 (40 % of 24), the subnets' rate ramping over 5 steps.
    Runs r = resumeMatches({{"method", "delayed-shrinking"},
                            {"delayed_shrinking", {{"switch_fraction", 0.4}, {"ramp_fraction", 0.2}}}});
    if (QTest::currentTestFailed()) return;
    QVERIFY(stepsOf(r.project, r.run, "loss/smallest").front() > 10);
    QVERIFY(!valuesOf(r.project, r.run, "loss/largest").empty());
    const std::vector<double> shrinking = valuesOf(r.project, r.run, "sampling/shrinking");
    QCOMPARE(shrinking.front(), 0.0);
    QCOMPARE(shrinking.back(), 1.0);
  }

  void complexityShifted() {
    // Probabilities updated every 3 steps: the stop at 11 leaves two steps' sums pending.
    Runs r = resumeMatches({{"method", "complexity-shifted"},
                            {"complexity_shifted", {{"bins", 3}, {"update_every", 3}}}});
    if (QTest::currentTestFailed()) return;
    const std::vector<double> p0 = valuesOf(r.project, r.run, "sampling/bin_probability/0");
    QCOMPARE(p0.front(), 1.0 / 3);
    QVERIFY(p0.back() != 1.0 / 3);
    QVERIFY(!valuesOf(r.project, r.run, "sampling/bin_loss/0").empty());
  }

  void sweepMethodsComparesAtEqualBudgets() {
    // A user's sweep on a small subset: two methods from the project's recipe (2 epochs of
    // the sandwich at 4 passes a step), run twice: the second call finds the finished runs.
    test::Scratch s;
    const std::string dir = s.path("sweep");
    {
      // The small project of the resume tests, 2 epochs (a few seconds a run).
      Project project = makeProject(dir, nlohmann::json::object());
      ProjectConfig config = project.config();
      config.recipe.epochs = 2;
      config.recipe.subnetsPerStep = 2;
      project.saveConfig(config);
    }
    EXPECT_BAD_INPUT(test::runCli(test::q({"sweep-methods", dir, "--methods", "sandwich,spos"})),
                     "sweep-methods: unknown method 'spos'");
    EXPECT_BAD_INPUT(test::runCli(test::q({"sweep-methods", dir, "--methods", "uniform"})), "2 to 6 different");
    const QStringList sweep = test::q({"sweep-methods", dir, "--methods", "sandwich,delayed-shrinking", "--threads",
                                       "2", "--probe", "10", "--json"});
    const test::CliResult first = test::runCli(sweep);
    CLI_OK(first);
    const nlohmann::json report = nlohmann::json::parse(first.out);
    const auto& methods = report["methods"];
    QCOMPARE(methods.size(), size_t(2));
    QCOMPARE(methods[0]["method"].get<std::string>(), std::string("sandwich"));
    QCOMPARE(methods[1]["method"].get<std::string>(), std::string("delayed-shrinking"));
    // DεpS costs 1 pass a step before its switch at half the run, 4 after: 2.5 a step, so
    // 2 x 4 / 2.5 = 3.2 -> 3 epochs, and the passes spent agree within that rounding.
    QCOMPARE(methods[0]["epochs"].get<int>(), 2);
    QCOMPARE(methods[1]["epochs"].get<int>(), 3);
    const double a = methods[0]["passes"].get<double>(), b = methods[1]["passes"].get<double>();
    QCOMPARE(a, 2 * 8 * 4.0);  // 512 images in batches of 64: 8 steps an epoch
    QVERIFY2(std::abs(b - a) / a < 0.1, (std::to_string(a) + " vs " + std::to_string(b)).c_str());
    for (const auto& m : methods) {
      QVERIFY(m["hypervolume"].get<double>() > 0);
      QCOMPARE(m["best"].size(), size_t(3));
      QVERIFY(m["training_seconds"].get<double>() > 0);
      QVERIFY(!m["history"].empty());
      QVERIFY2(m["kendall_tau"].is_number(), m["kendall_tau_note"].dump().c_str());  // 10 probe subnets
    }
    // The same probe set: the last epoch of both runs evaluated the same subnets.
    Project project = Project::open(dir);
    const auto lastEpochArchs = [&](int64_t run) {
      std::map<int64_t, std::set<std::string>> byEpoch;
      for (const SubnetRecord& r : project.store().subnets().forRun(run)) byEpoch[*r.epoch].insert(r.arch);
      return byEpoch.rbegin()->second;
    };
    QCOMPARE(lastEpochArchs(methods[0]["run"].get<int64_t>()), lastEpochArchs(methods[1]["run"].get<int64_t>()));
    // Again: nothing trained, the same report; the runs tagged for the Compare tab.
    const test::CliResult again = test::runCli(sweep);
    CLI_OK(again);
    QVERIFY2(again.err.find("from an earlier sweep") != std::string::npos, again.err.c_str());
    QCOMPARE(nlohmann::json::parse(again.out)["methods"][1]["passes"].get<double>(), b);
    const auto run = project.store().runs().find(methods[1]["run"].get<int64_t>());
    QVERIFY(std::find(run->tags.begin(), run->tags.end(), "sweep-project") != run->tags.end());
    const test::CliResult csv = test::runCli(test::q({"sweep-methods", dir, "--methods", "sandwich,delayed-shrinking",
                                                      "--report-only", "--csv", "--table", "history"}));
    CLI_OK(csv);
    QVERIFY2(csv.out.rfind("epoch,sandwich,delayed-shrinking\n1,", 0) == 0, csv.out.c_str());
  }

 private:
  struct Runs {
    std::unique_ptr<test::Scratch> scratch;
    Project project;
    int64_t run;
  };

  // Trains the method straight, then stopped at step 11 and resumed; every metric row (but
  // throughput, a wall-clock figure) equal. Returns the uninterrupted run.
  Runs resumeMatches(const nlohmann::json& method) {
    auto s = std::make_unique<test::Scratch>();
    Project straight = makeProject(s->path("a"), method);
    const SessionResult full = TrainingSession(straight, {}).start();
    if (full.status != RunStatus::Finished) qFatal("the uninterrupted run did not finish");

    Project interrupted = makeProject(s->path("b"), method);
    std::atomic<bool> stop{false};
    test::StopAt stopper(stop, 11);
    SessionOptions options;
    options.stop = &stop;
    options.sink = &stopper;
    const SessionResult first = TrainingSession(interrupted, options).start();
    const SessionResult second = TrainingSession(interrupted, {}).resume();
    [&] {
      QCOMPARE(first.step, int64_t(11));
      QCOMPARE(second.status, RunStatus::Finished);
      const std::vector<std::string> keys = straight.store().metrics().keys(full.runId);
      QCOMPARE(interrupted.store().metrics().keys(first.runId), keys);
      for (const std::string& key : keys) {
        if (key == "throughput/images_per_s") continue;
        const auto a = straight.store().metrics().series(full.runId, key);
        const auto b = interrupted.store().metrics().series(first.runId, key);
        QVERIFY2(a.size() == b.size(), key.c_str());
        for (size_t i = 0; i < a.size(); ++i) {
          QCOMPARE(b[i].step, a[i].step);
          QVERIFY2(std::abs(a[i].value - b[i].value) <= 1e-6 * std::max(1.0, std::abs(a[i].value)),
                   (key + " differs at step " + std::to_string(a[i].step) + ": " + std::to_string(a[i].value) +
                    " vs " + std::to_string(b[i].value))
                       .c_str());
        }
      }
      QCOMPARE(second.largestAccuracy, full.largestAccuracy);
    }();
    return Runs{std::move(s), std::move(straight), full.runId};
  }
};

QTEST_APPLESS_MAIN(TestMethodRuns)
#include "tst_method_runs.moc"
