// Real sandwich training on a Fashion-MNIST subset, through the same session the CLI uses.
#include <QtTest>
#include <set>

#include "core/project/project.h"
#include "core/project/training_session.h"
#include "core/util/allocator_tuning.h"
#include "db/store.h"
#include "test_support.h"

using namespace sn;

class TestTraining : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { keepFreedMemoryForReuse(); }

  void sandwichTrainingLearnsFashionMnistSubset() {
    test::Scratch s;
    Project project = Project::create(s.path("proj"), "fmnist-small");
    ProjectConfig config = project.config();
    config.dataset.trainLimit = 2048;
    config.dataset.testLimit = 1000;
    config.recipe.batchSize = 64;  // 32 steps an epoch
    config.recipe.epochs = 10;     // 320 sandwich steps
    config.recipe.logEvery = 8;
    config.recipe.recalBatches = 10;
    project.saveConfig(config);

    const SessionResult result = TrainingSession(project, {}).start();
    QCOMPARE(result.status, std::string("finished"));
    QCOMPARE(result.step, int64_t(320));

    Store& store = project.store();
    const auto loss = store.metrics().series(result.runId, "loss/largest");
    QCOMPARE(loss.size(), size_t(40));
    qInfo("loss/largest %.3f -> %.3f; test accuracy largest %.3f smallest %.3f in %.0f s",
          loss.front().value, loss.back().value, result.largestAccuracy, result.smallestAccuracy,
          result.seconds);
    QVERIFY(loss.back().value < 0.6 * loss.front().value);
    // The smallest learns from the largest's predictions: its KL loss starts near zero (both
    // uniform) and is no measure of progress; its accuracy below is.
    // Chance is 10%; a trained subset model of either size should be far above it.
    QVERIFY(result.largestAccuracy > 0.65);
    QVERIFY(result.smallestAccuracy > 0.6);

    // What the GUI and later tools read: one test accuracy per epoch, subnets, checkpoints.
    QCOMPARE(store.metrics().series(result.runId, "acc/test_largest").size(), size_t(10));
    const auto subnets = store.subnets().forRun(result.runId);
    // The probe set: the same 6 subnets (largest, smallest and 4 spread between) each epoch.
    QCOMPARE(subnets.size(), size_t(60));
    for (size_t i = 6; i < subnets.size(); ++i) {
      QCOMPARE(subnets[i].arch, subnets[i % 6].arch);
      QCOMPARE(*subnets[i].epoch, int64_t(i / 6 + 1));
    }
    std::set<std::string> distinct;
    for (size_t i = 0; i < 6; ++i) distinct.insert(subnets[i].arch);
    QCOMPARE(distinct.size(), size_t(6));
    QVERIFY(subnets.back().macs > 0 && subnets.back().checkpointId.has_value());
    QCOMPARE(store.checkpoints().forRun(result.runId).size(), size_t(10));
    QCOMPARE(store.runs().find(result.runId)->status, std::string("finished"));
  }
};

QTEST_APPLESS_MAIN(TestTraining)
#include "tst_training.moc"
