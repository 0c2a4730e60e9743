// supernet-studio end to end: a project made through the wizard trains in the window on a
// worker thread; curves grow, pause holds, resume continues, stop checkpoints, a reopened
// project shows the same curves from SQLite, the UI never stalls, and errors are dialogs.
#include <QtTest>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "colour_count.h"
#include "app/studio/main_window.h"
#include "core/project/project.h"
#include "core/train/device.h"
#include "core/util/allocator_tuning.h"
#include "db/store.h"
#include "gui_support.h"
#include "test_support.h"
#include "views/architecture_page.h"
#include "views/architecture_view.h"
#include "views/metric_chart.h"
#include "views/screenshot.h"
#include "stall_probe.h"
#include "views/training_view.h"

using namespace sn;

namespace {

constexpr int kLong = 120000;  // ms: generous for a loaded two-core CI machine

std::vector<MetricSample> storedSeries(const QString& dir, int64_t run, const std::string& key) {
  Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
  return store.metrics().series(run, key);
}

// A 40-epoch tiny project made, opened and training in `window`, with rows on its charts.
void trainUntilRowsShow(MainWindow& window, const QString& dir) {
  QString error;
  QVERIFY2(test::makeTinyProject(dir, 40, &error), qPrintable(error));
  window.show();
  QVERIFY(window.openProject(dir));
  QVERIFY(window.startTraining());
  QTRY_VERIFY_WITH_TIMEOUT(window.trainingView()->sampleCount("loss/largest") >= 2, kLong);
}

RunRecord storedRun(const QString& dir, int64_t run) {
  Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
  return *store.runs().find(run);
}

}  // namespace

class TestStudio : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    keepFreedMemoryForReuse();
  }

  void trainPauseResumeStopAndReopen() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 40, &error), qPrintable(error));

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(window.openProject(dir));
    StallProbe probe;
    probe.start();
    int64_t lastStep = 0;
    std::string lastPhase;
    std::vector<double> imagesPerSecond;  // of training steps, as the worker measured them
    connect(window.controller(), &TrainingController::progress,
            [&](const TrainingProgress& p, const ChoiceFrequencies&) {
              lastStep = p.step;
              lastPhase = p.phase;
              if (p.phase == "train" && p.imagesPerSecond > 0) imagesPerSecond.push_back(p.imagesPerSecond);
            });
    QVERIFY(window.startTraining());

    // Curves grow from the rows the worker writes.
    TrainingView* view = window.trainingView();
    QTRY_VERIFY_WITH_TIMEOUT(view->sampleCount("loss/largest") >= 3, kLong);
    const qsizetype grown = view->sampleCount("loss/largest");
    QTRY_VERIFY_WITH_TIMEOUT(view->sampleCount("loss/largest") > grown, kLong);
    QTRY_VERIFY_WITH_TIMEOUT(view->chartFor("loss/largest")->displayedCount("loss/largest") > 0,
                             5000);
    const qint64 runId = window.shownRun();
    QVERIFY(runId > 0);
    QVERIFY(window.statusSummary().contains("images/s"));
    // The architecture view follows the sampled subnets.
    QTRY_VERIFY_WITH_TIMEOUT(window.architecturePage()->view()->arch().has_value(), kLong);

    // Pause: no step is taken while paused. The step (or epoch-end evaluation) under way
    // finishes first; the worker says when it holds. (A fixed wait for it failed on a loaded
    // machine, where the step under way outlasted it.)
    window.pauseTraining();
    QCOMPARE(window.controller()->state(), TrainingController::State::Paused);
    QTRY_COMPARE_WITH_TIMEOUT(lastPhase, std::string("paused"), kLong);
    const int64_t pausedAt = lastStep;
    QTest::qWait(1500);
    QCOMPARE(lastStep, pausedAt);

    // Resume: it goes on from where it was.
    window.resumeTraining();
    QTRY_VERIFY_WITH_TIMEOUT(lastStep > pausedAt, kLong);
    // Through two epoch ends (evaluation with BN recalibration) before stopping, so the
    // stall probe covers every phase of a run.
    QTRY_VERIFY_WITH_TIMEOUT(view->sampleCount("acc/test_largest") >= 2, kLong);

    // Stop: after the current step, with a checkpoint; the run is resumable.
    window.stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingController::State::Idle,
                              kLong);
    probe.stop();
    // A UI thread that waited on training would stall for a whole step at least (an epoch
    // end, a checkpoint: longer). So the bound is half a median step, and never under 50 ms:
    // what the scheduler alone costs on a loaded two-core machine (up to 56 ms measured with
    // the other core busy) must not fail the test, and a slower CPU makes steps, not the
    // scheduler, slower.
    QVERIFY(!imagesPerSecond.empty());
    const double stepMs = 1000.0 * Project::open(dir.toStdString()).config().recipe.batchSize /
                          test::median(imagesPerSecond);
    const double bound = std::max(50.0, stepMs / 2);
    qInfo("longest UI stall while training: %.1f ms over %lld probe ticks (a step: %.0f ms)",
          probe.longestStallMs(), static_cast<long long>(probe.ticks()), stepMs);
    QVERIFY2(probe.longestStallMs() < bound, "the UI thread never waits on training");
    // The architecture tab after training: the last sampled subnet and the sampling shares
    // (rendered after the probe: a grab is this test's own blocking work, not the app's).
    window.tabs()->setCurrentIndex(1);
    const QString shot = QStringLiteral(SN_BUILD_DIR) + "/screenshots/architecture-training.png";
    QDir().mkpath(QFileInfo(shot).path());
    QVERIFY(saveScreenshot(&window, shot));
    QVERIFY(test::distinctColours(QImage(shot)) > 20);
    window.tabs()->setCurrentIndex(0);
    const RunRecord run = storedRun(dir, runId);
    QCOMPARE(run.status, RunStatus::Stopped);
    {
      Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
      const auto checkpoint = store.checkpoints().latest(runId);
      QVERIFY(checkpoint);
      QCOMPARE(checkpoint->step, lastStep);
    }

    // Reopen: the same curves, from SQLite alone.
    window.close();
    MainWindow reopened;
    QVERIFY(reopened.openProject(dir));
    QCOMPARE(reopened.shownRun(), runId);
    for (const char* key : {"loss/largest", "loss/smallest", "loss/random", "lr"}) {
      const auto stored = storedSeries(dir, runId, key);
      QVERIFY(!stored.empty());
      QCOMPARE(reopened.trainingView()->sampleCount(key), static_cast<qsizetype>(stored.size()));
    }
    MetricChart* chart = reopened.trainingView()->chartFor("loss/largest");
    chart->refreshNow();
    const auto stored = storedSeries(dir, runId, "loss/largest");
    QCOMPARE(chart->pointCount("loss/largest"), static_cast<qsizetype>(stored.size()));
  }

  void closingTheWindowWhileTrainingStopsWithACheckpoint() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    MainWindow window;
    trainUntilRowsShow(window, dir);
    if (QTest::currentTestFailed()) return;
    const qint64 runId = window.shownRun();
    QVERIFY(!window.close());  // not yet: it stops the run first
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kLong);
    QCOMPARE(storedRun(dir, runId).status, RunStatus::Stopped);
    Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
    QVERIFY(store.checkpoints().latest(runId));
  }

  void badDatasetIsOneClearErrorAndNothingIsLost() {
    test::Scratch s;
    const QString empty = QString::fromStdString(s.path("no-data"));
    QDir().mkpath(empty);
    NewProjectWizard wizard;
    wizard.setFolder(QString::fromStdString(s.path("bad")));
    wizard.setDataset("idx", empty);
    QVERIFY(wizard.datasetProblem().contains(empty));
    QString error;
    QVERIFY(!wizard.createProject(&error));
    QVERIFY2(error.contains(empty), qPrintable(error));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(s.path("bad/project.sqlite"))));

    // A project whose data went missing after it was made: training fails with a dialog.
    const QString dir = QString::fromStdString(s.path("proj"));
    QVERIFY2(test::makeTinyProject(dir, 2, &error), qPrintable(error));
    {
      Project project = Project::open(dir.toStdString());
      ProjectConfig config = project.config();
      config.dataset.kind = "idx";
      config.dataset.dir = empty.toStdString();
      project.saveConfig(config);
    }
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(dir));
    QVERIFY(window.startTraining());
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingController::State::Idle,
                              kLong);
    QVERIFY2(window.lastError().contains(empty), qPrintable(window.lastError()));
  }

  void wizardPrecisionReachesTheProjectRecipe() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("bf16"));
    NewProjectWizard wizard;
    wizard.setFolder(dir);
    wizard.setDataset("synthetic");
    wizard.setPrecision("bf16");
    wizard.setDevice("cuda");  // the first GPU; without one the chooser stays on the CPU
    QCOMPARE(wizard.device(), cudaAvailable() ? QString("cuda:0") : QString("cpu"));
    QCOMPARE(availableDevices().front(), std::string("cpu"));
    QString error;
    QVERIFY2(wizard.createProject(&error), qPrintable(error));
    QCOMPARE(Project::open(dir.toStdString()).config().recipe.precision, std::string("bf16"));
  }

  void corruptCheckpointRefusesResumeWithADialog() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    MainWindow window;
    trainUntilRowsShow(window, dir);
    if (QTest::currentTestFailed()) return;
    window.stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingController::State::Idle,
                              kLong);
    std::string path;
    {
      Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
      path = dir.toStdString() + "/" + store.checkpoints().latest(window.shownRun())->path;
    }
    std::fstream(path, std::ios::in | std::ios::out | std::ios::binary).seekp(100).put('\x7f');
    const auto rowsBefore = storedSeries(dir, window.shownRun(), "loss/largest").size();
    window.resumeTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingController::State::Idle,
                              kLong);
    QVERIFY2(window.lastError().contains("checkpoint") || window.lastError().contains(".pt"),
             qPrintable(window.lastError()));
    QCOMPARE(storedSeries(dir, window.shownRun(), "loss/largest").size(), rowsBefore);
  }

  void secondTrainerOfTheSameFolderIsRefused() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 40, &error), qPrintable(error));
    MainWindow first;
    QVERIFY(first.openProject(dir));
    QVERIFY(first.startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(first.trainingView()->sampleCount("loss/largest") >= 1, kLong);
    TrainingController second;
    TrainingRequest request;
    request.projectDir = dir;
    QVERIFY(second.start(request));
    QSignalSpy done(&second, &TrainingController::finished);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kLong);
    QCOMPARE(done.at(0).at(0).value<RunStatus>(), RunStatus::Failed);
    QVERIFY2(done.at(0).at(2).toString().contains("another process"),
             qPrintable(done.at(0).at(2).toString()));
    first.stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(first.controller()->state(), TrainingController::State::Idle,
                              kLong);
  }

  // A logout or `kill` (SIGTERM) of the real supernet-studio while it trains: it stops after
  // the step with a checkpoint there, as closing the window does, and exits 0.
  void sigtermStopsTrainingWithACheckpoint() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 200, &error), qPrintable(error));
    QProcess studio;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_CONFIG_HOME", QString::fromStdString(s.path("config")));  // not the user's settings
    env.insert("QT_QPA_PLATFORM", "offscreen");
    studio.setProcessEnvironment(env);
    studio.setProcessChannelMode(QProcess::MergedChannels);
    studio.start(SN_BUILD_DIR "/app/supernet-studio", {dir, "--start", "--threads", "1"});
    QVERIFY(studio.waitForStarted());
    const auto stepsStored = [&] { return storedSeries(dir, 1, "loss/largest").size(); };
    QElapsedTimer t;
    t.start();
    while (stepsStored() < 2 && !studio.waitForFinished(50) && t.elapsed() < kLong) {
    }
    QVERIFY2(studio.state() == QProcess::Running, studio.readAll().constData());
    ::kill(static_cast<pid_t>(studio.processId()), SIGTERM);
    QVERIFY(studio.waitForFinished(kLong));
    QCOMPARE(studio.exitStatus(), QProcess::NormalExit);
    QCOMPARE(studio.exitCode(), 0);
    Project project = Project::open(dir.toStdString());
    QCOMPARE(project.store().runs().find(1)->status, RunStatus::Stopped);
    const auto checkpoint = project.store().checkpoints().latest(1);
    QVERIFY(checkpoint.has_value());
    // At the step it stopped after: no stored row is past it (rows after a checkpoint would
    // be repeated on resume).
    QVERIFY(checkpoint->step >= storedSeries(dir, 1, "loss/largest").back().step);
    QVERIFY(checkpoint->epoch < 200);  // stopped, not finished
  }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
