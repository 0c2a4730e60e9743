// Stop and resume: a resumed run repeats the uninterrupted run's numbers exactly.
#include <QtTest>

#include <atomic>

#include "core/project/project.h"
#include "core/project/training_session.h"
#include "core/util/allocator_tuning.h"
#include "db/store.h"
#include "stop_at.h"
#include "test_support.h"

using namespace sn;

namespace {

Project makeProject(const std::string& dir, bool prunes = false) {
  // Exactness, not learning, is under test: the smallest preset and 8 steps an epoch.
  Project project = Project::create(dir, "fmnist-tiny");
  ProjectConfig config = project.config();
  config.dataset.trainLimit = 512;
  config.dataset.testLimit = 200;
  config.recipe.batchSize = 64;  // 8 steps an epoch
  config.recipe.epochs = 3;
  config.recipe.logEvery = 2;
  config.recipe.recalBatches = 2;
  config.recipe.evalBatchSize = 100;
  config.recipe.subnetsPerStep = 1;
  if (prunes) {
    // Pruning opens epochs 1 and 2, with regrowth and channel shrinking: a resumed run must
    // restore masks, channel masks and the straight-through weights exactly.
    config.recipe.pruning.enabled = true;
    config.recipe.pruning.step = 0.3;
    config.recipe.pruning.target = 0.6;
    config.recipe.pruning.shrink.enabled = true;
    // A penalty strong enough to push BN scales (1 at the start) under 0.9 in 8 steps.
    config.recipe.pruning.shrink.l1 = 0.1;
    config.recipe.pruning.shrink.rampEpochs = 1;
    config.recipe.pruning.shrink.threshold = 0.9;
  }
  project.saveConfig(config);
  return project;
}

}  // namespace

class TestResume : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { keepFreedMemoryForReuse(); }

  // Two functions, not two data rows: each trains two runs, and each stays under a minute on
  // the slowest machine.
  void resumedRunMatchesUninterruptedRun() { resumeMatches(false); }
  void resumedPruningRunMatchesUninterruptedRun() { resumeMatches(true); }

  void resumingAFinishedRunIsRefused() {
    test::Scratch s;
    Project project = makeProject(s.path("c"));
    ProjectConfig config = project.config();
    config.recipe.epochs = 1;
    project.saveConfig(config);
    TrainingSession(project, {}).start();
    QVERIFY_THROWS_EXCEPTION(std::exception, TrainingSession(project, {}).resume());
  }

 private:
  void resumeMatches(bool prunes) {
    test::Scratch s;
    Project straight = makeProject(s.path("a"), prunes);
    const SessionResult full = TrainingSession(straight, {}).start();
    QCOMPARE(full.status, RunStatus::Finished);

    Project interrupted = makeProject(s.path("b"), prunes);
    std::atomic<bool> stop{false};
    test::StopAt stopper(stop, 11);  // mid-way through the second epoch
    SessionOptions options;
    options.stop = &stop;
    options.sink = &stopper;
    const SessionResult first = TrainingSession(interrupted, options).start();
    QCOMPARE(first.status, RunStatus::Stopped);
    QCOMPARE(first.step, int64_t(11));
    QCOMPARE(interrupted.store().runs().find(first.runId)->status, RunStatus::Stopped);

    const SessionResult second = TrainingSession(interrupted, {}).resume();
    QCOMPARE(second.status, RunStatus::Finished);
    QCOMPARE(second.runId, first.runId);

    std::vector<std::string> keys = {"loss/largest", "loss/smallest", "loss/random", "acc/train_largest",
                                     "acc/test_largest", "acc/test_smallest"};
    if (prunes) {
      for (const char* k : {"sparsity/overall", "prune/pruned", "prune/reactivated", "shrink/channels_removed"}) keys.push_back(k);
    }
    for (const std::string& keyText : keys) {
      const char* key = keyText.c_str();
      const auto a = straight.store().metrics().series(full.runId, key);
      const auto b = interrupted.store().metrics().series(first.runId, key);
      QVERIFY2(a.size() == b.size() && !a.empty(), key);
      for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].step, a[i].step);
        QVERIFY2(std::abs(a[i].value - b[i].value) <= 1e-6 * std::max(1.0, std::abs(a[i].value)),
                 (std::string(key) + " differs at step " + std::to_string(a[i].step) + ": " +
                  std::to_string(a[i].value) + " vs " + std::to_string(b[i].value)).c_str());
      }
    }
    QCOMPARE(second.largestAccuracy, full.largestAccuracy);
    if (prunes) {
      const auto removed = straight.store().metrics().series(full.runId, "shrink/channels_removed");
      QVERIFY2(removed.back().value > 0, "shrinking removed no channel: the resume check would not cover it");
    }
  }

};

QTEST_APPLESS_MAIN(TestResume)
#include "tst_resume.moc"
