// Watching a run another process trains: the window opens a project that supernet-cli is
// training (alone, or as two data-parallel ranks of which rank 0 writes), shows its curves
// growing live, and offers no second trainer meanwhile.
#include <QtTest>

#include <csignal>

#include "app/studio/main_window.h"
#include "db/store.h"
#include "gui_support.h"
#include "test_support.h"
#include "core/project/project.h"
#include "views/metrics_feed.h"
#include "views/runs_table_model.h"
#include "stall_probe.h"
#include "views/training_view.h"

using namespace sn;

class TestWatchCliRun : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  void curvesOfACliRunGrowLive_data() {
    QTest::addColumn<int>("ranks");
    QTest::newRow("one process") << 1;
    QTest::newRow("two ranks") << 2;
  }

  void curvesOfACliRunGrowLive() {
    QFETCH(int, ranks);
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 200, &error), qPrintable(error));
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    QStringList args = {"train", dir, "--threads", "1"};
    if (ranks > 1) args << "--nproc" << QString::number(ranks);
    cli.start(SN_CLI_PATH, args);
    QVERIFY(cli.waitForStarted());

    MainWindow window;
    window.show();
    QVERIFY(window.openProject(dir));
    window.feed()->setPollInterval(200);
    TrainingView* view = window.trainingView();
    QTRY_VERIFY_WITH_TIMEOUT(view->sampleCount("loss/largest") >= 2, 120000);
    const qsizetype first = view->sampleCount("loss/largest");
    QTRY_VERIFY_WITH_TIMEOUT(view->sampleCount("loss/largest") >= first + 3, 120000);
    QVERIFY(window.shownRun() > 0);

    // The CLI holds the project: this window refuses to train it too. (With --nproc the
    // lock's holder is rank 0, a child of the launcher.)
    QVERIFY(!window.startTraining());
    if (ranks == 1) {
      QVERIFY2(window.lastError().contains(QString::number(cli.processId())),
               qPrintable(window.lastError()));
    }

    ::kill(static_cast<pid_t>(cli.processId()), SIGINT);  // as Ctrl-C: stop + checkpoint
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitCode(), 0);
    // Everything the CLI wrote arrives, and only that.
    Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
    const auto stored = store.metrics().series(window.shownRun(), "loss/largest");
    QTRY_COMPARE_WITH_TIMEOUT(view->sampleCount("loss/largest"),
                              static_cast<qsizetype>(stored.size()), 10000);
    QCOMPARE(store.metrics().series(window.shownRun(), "distributed/world_size").empty(),
             ranks == 1);
  }

  // A CLI writing a metric row every step while the window reads them (its charts, the runs
  // table, the subnets page): no read fails ("database is locked" or any other) and every
  // row arrives. How long the UI went without running a timer is reported, not asserted:
  // SN_WATCH_SECONDS=60 runs the minute (default 15 s).
  void theWindowReadsWhileACliWritesEveryStep() {
    const int seconds = qEnvironmentVariableIntValue("SN_WATCH_SECONDS") > 0
                            ? qEnvironmentVariableIntValue("SN_WATCH_SECONDS") : 15;
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 400, &error), qPrintable(error));
    {
      Project project = Project::open(dir.toStdString());
      ProjectConfig config = project.config();
      config.recipe.logEvery = 1;
      project.saveConfig(config);
    }
    QProcess cli;
    cli.start(SN_CLI_PATH, {"train", dir, "--threads", "1"});
    QVERIFY(cli.waitForStarted());
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(window.openProject(dir));
    window.feed()->setPollInterval(100);
    QTRY_VERIFY_WITH_TIMEOUT(window.trainingView()->sampleCount("loss/largest") >= 1, 120000);
    const qsizetype first = window.trainingView()->sampleCount("loss/largest");
    StallProbe probe;
    probe.start();
    QTest::qWait(seconds * 1000);
    probe.stop();
    const qsizetype seen = window.trainingView()->sampleCount("loss/largest") - first;
    ::kill(static_cast<pid_t>(cli.processId()), SIGINT);
    QVERIFY(cli.waitForFinished(120000));
    QVERIFY2(window.feed()->readErrors() == 0, qPrintable(window.feed()->lastReadError()));
    QVERIFY2(seen >= 2, "the CLI wrote too few steps to read");
    Store store(dir.toStdString() + "/project.sqlite", Database::Mode::ReadOnly);
    const auto stored = store.metrics().series(window.shownRun(), "loss/largest");
    QTRY_COMPARE_WITH_TIMEOUT(window.trainingView()->sampleCount("loss/largest"),
                              static_cast<qsizetype>(stored.size()), 10000);
    QCOMPARE(window.feed()->readErrors(), 0);
    qInfo("%d s: %lld steps written and read live, 0 failed reads, longest UI stall %.1f ms "
          "(%lld probe ticks)", seconds, static_cast<long long>(seen), probe.longestStallMs(),
          static_cast<long long>(probe.ticks()));
  }

  // The watched CLI is killed outright: nothing more reaches the database, yet within a few
  // seconds the run shows as interrupted and can be resumed from this window.
  void aKilledCliRunShowsAsInterrupted() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("proj"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 200, &error), qPrintable(error));
    QProcess cli;
    cli.start(SN_CLI_PATH, {"train", dir, "--threads", "1"});
    QVERIFY(cli.waitForStarted());
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(dir));
    window.feed()->setPollInterval(200);
    QTRY_VERIFY_WITH_TIMEOUT(window.trainingView()->sampleCount("loss/largest") >= 2, 120000);
    QVERIFY(!window.startTraining());  // watched: the CLI holds the project
    ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(10000));
    const auto status = [&] {
      const RunRecord* run = window.runsModel()->runAt(window.runsModel()->rowOf(window.shownRun()));
      return run ? std::optional<RunStatus>(run->status) : std::nullopt;
    };
    QTRY_COMPARE_WITH_TIMEOUT(status(), std::optional<RunStatus>(RunStatus::Interrupted), 10000);
  }
};

QTEST_MAIN(TestWatchCliRun)
#include "tst_watch_cli_run.moc"
