// A trainer killed at any moment loses nothing and the run still ends as an uninterrupted
// one would: a kill before the first checkpoint (the run shows as interrupted, resume starts
// it over), checkpoints by time with their retention, and kills at seeded random moments
// after time checkpoints, each followed by a resume. Then evaluate, latency-table, search,
// export and import-runs killed at random moments: nothing half-done is visible, and a rerun
// completes. (The 20-kill soak of training is soak_kills.cpp.)
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <csignal>
#include <functional>
#include <random>
#include <set>

#include "cli_support.h"
#include "core/project/project.h"
#include "core/project/training_session.h"
#include "crash_support.h"
#include "db/database.h"
#include "db/statement.h"
#include "db/store.h"
#include "test_support.h"
#include "trained_fixture.h"

using namespace sn;

namespace {

using test::lastStepStored;
using test::makeCrashProject;
using test::runStatus;
using test::sameRows;

void requireCheckpointsConsistent(const std::string& dir) {
  const std::string problem = test::checkpointProblem(dir);
  QVERIFY2(problem.empty(), problem.c_str());
}

std::string trainUninterrupted(const test::Scratch& s, int epochs, double minutes, int images,
                               int threads = 1) {
  const std::string dir = s.path("straight");
  makeCrashProject(dir, epochs, minutes, images);
  const test::CliResult r =
      test::runCli(test::q({"train", dir, "--threads", std::to_string(threads)}));
  if (r.code != 0) throw std::runtime_error(r.err);
  return dir;
}

// How long `args` takes run to its end (it must succeed): the span kills are drawn from.
qint64 timedRun(const QStringList& args) {
  QElapsedTimer clock;
  clock.start();
  const test::CliResult r = test::runCli(args);
  if (r.code != 0) throw std::runtime_error("uninterrupted run failed: " + r.err);
  return clock.elapsed();
}

// The command `kills` times started and killed with SIGKILL at a seeded random moment drawn
// from 20-95 % of `fullMs`, `check` after each kill. Returns how many kills found it still
// running (the others had finished first).
int killAtRandomMoments(const QStringList& args, qint64 fullMs, int kills, uint32_t seed,
                        const std::function<void()>& check) {
  QElapsedTimer clock;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<qint64> moment(fullMs / 5, fullMs * 19 / 20);
  int landed = 0;
  for (int k = 0; k < kills; ++k) {
    QProcess cli;
    cli.start(SN_CLI_PATH, args);
    if (!cli.waitForStarted(10000)) throw std::runtime_error("supernet-cli did not start");
    const qint64 at = moment(rng);
    clock.restart();
    while (clock.elapsed() < at && !cli.waitForFinished(5)) {
    }
    if (cli.state() != QProcess::NotRunning) {
      ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
      ++landed;
    }
    cli.waitForFinished(10000);
    check();
    if (QTest::currentTestFailed()) break;  // a QVERIFY in `check` returns from it only
  }
  qInfo("%d of %d kills landed while it ran (%lld ms uninterrupted)", landed, kills,
        static_cast<long long>(fullMs));
  return landed;
}

int64_t countRows(const std::string& dir, const std::string& sql) {
  Database db(dir + "/project.sqlite", Database::Mode::ReadOnly);
  Statement st = db.prepare(sql);
  return st.step() ? st.columnInt64(0) : -1;
}

// Every entry under `folder`, hidden ones included, sorted.
QStringList entriesOf(const std::string& folder) {
  QDir d(QString::fromStdString(folder));
  QStringList names = d.entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
  names.sort();
  return names;
}

}  // namespace

class TestCrashSafety : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The issue's own try: SIGKILL before the first checkpoint. The run shows as interrupted
  // (nobody holds the lock), and resume starts it over from step 0 to the same end.
  void aRunKilledBeforeItsFirstCheckpointStartsOver() {
    test::Scratch s;
    const std::string straight = trainUninterrupted(s, 1, 0, 1024);
    const std::string dir = s.path("killed");
    makeCrashProject(dir, 1, 0, 1024);
    QProcess cli;
    cli.start(SN_CLI_PATH, test::q({"train", dir, "--threads", "1"}));
    QElapsedTimer t;
    t.start();
    while (lastStepStored(dir) < 3 && !cli.waitForFinished(20) && t.elapsed() < 60000) {
    }
    ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(10000));
    {
      Project project = Project::open(dir);
      QVERIFY2(!project.store().checkpoints().latest(1), "killed too late: a checkpoint exists");
      QCOMPARE(project.store().runs().find(1)->status, RunStatus::Running);  // as stored
    }
    QCOMPARE(runStatus(dir), std::string("interrupted"));
    const test::CliResult resumed = test::runCli(test::q({"resume", dir, "--threads", "1"}));
    CLI_OK(resumed);
    QCOMPARE(runStatus(dir), std::string("finished"));
    std::string why;
    QVERIFY2(sameRows(straight, dir, &why), why.c_str());
  }

  // Two epochs of 16 steps with a checkpoint every 0.1 s: many mid-epoch ones, of which the last 3 stay besides the epoch
  // ends the probe subnets were measured on; rows and files agree; the numbers are those of a
  // run with epoch-end checkpoints only.
  void timeCheckpointsAreRetainedAndChangeNothing() {
    test::Scratch s;
    const std::string plain = s.path("plain"), timed = s.path("timed");
    makeCrashProject(plain, 2, 0, 1024);
    makeCrashProject(timed, 2, 0.1 / 60, 1024);
    Project a = Project::open(plain), b = Project::open(timed);
    TrainingSession(a, {}).start();  // both on every core: the same arithmetic
    TrainingSession(b, {}).start();
    const auto checkpoints = b.store().checkpoints().forRun(1);
    const auto used = b.store().subnets().checkpointIdsOf(1);
    QCOMPARE(used.size(), size_t{2});  // the two epoch ends
    QVERIFY2(checkpoints.size() <= 2 + 3, std::to_string(checkpoints.size()).c_str());
    std::set<int64_t> kept;
    for (const CheckpointRecord& c : checkpoints) kept.insert(c.id);
    for (int64_t id : used) QVERIFY(kept.count(id));
    requireCheckpointsConsistent(timed);
    std::string why;
    QVERIFY2(sameRows(plain, timed, &why), why.c_str());
  }

  // SIGKILL at seeded random moments (2-4 stored steps after the last kill's, plus 0-200 ms,
  // so every kill lands in training on a fast machine or a slow one), four times, a resume
  // after each: every metric row equals the uninterrupted run's, with no gap and no step
  // twice, and the database and checkpoint files are intact.
  void killedAtRandomMomentsTheRunEndsAsAnUninterruptedOne() {
    test::Scratch s;
    // 32 steps: four kills 2-4 steps apart (and what was stored past each) stay inside it.
    const double minutes = 0.2 / 60;  // a checkpoint every 0.2 s
    const std::string straight = trainUninterrupted(s, 1, minutes, 2048, 2);
    const std::string dir = s.path("killed");
    makeCrashProject(dir, 1, minutes, 2048);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> steps(2, 4), extraMs(0, 200);
    int64_t killedAt = 0;
    for (int kill = 0; kill < 4; ++kill) {
      QProcess cli;
      cli.start(SN_CLI_PATH, test::q({kill == 0 ? "train" : "resume", dir, "--threads", "2"}));
      const int64_t target = killedAt + steps(rng);
      QElapsedTimer t;
      t.start();
      // waitForFinished, not a sleep: QProcess learns of an exit only while waiting on it.
      while (lastStepStored(dir) < target && !cli.waitForFinished(20) && t.elapsed() < 60000) {
      }
      QThread::msleep(extraMs(rng));
      QVERIFY2(cli.state() != QProcess::NotRunning, "the run ended before its kill");
      ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
      QVERIFY(cli.waitForFinished(10000));
      killedAt = lastStepStored(dir);
      const std::string status = runStatus(dir);
      QVERIFY2(status == "interrupted", ("after kill " + std::to_string(kill) + " at step " +
                                         std::to_string(killedAt) + ": " + status).c_str());
    }
    CLI_OK(test::runCli(test::q({"resume", dir, "--threads", "2"})));
    QCOMPARE(runStatus(dir), std::string("finished"));
    requireCheckpointsConsistent(dir);
    std::string why;
    QVERIFY2(sameRows(straight, dir, &why), why.c_str());
  }

  // The other commands that write, each killed at three seeded random moments: nothing
  // half-done is visible afterwards and a rerun completes. They share one trained project
  // (the dense fixture with 12 more evaluated subnets, enough for the predictor).
  void initTestCase() {
    dir_ = test::copyOfTrainedProject(test::Trained::Dense, scratch_.path("trained"));
    CLI_OK(test::runCli(test::q({"evaluate", dir_, "--sample", "12", "--no-latency", "--threads", "2"})));
  }

  // evaluate stores each subnet whole as it is measured: a kill leaves the ones before it.
  void evaluateKilledKeepsWholeSubnets() {
    const auto args = test::q({"evaluate", dir_, "--sample", "6", "--latency-runs", "5", "--threads", "2"});
    const std::string incomplete =
        "SELECT COUNT(*) FROM subnets WHERE (accuracy IS NULL OR latency_ms IS NULL) AND id > " +
        std::to_string(countRows(dir_, "SELECT MAX(id) FROM subnets"));
    const int landed = killAtRandomMoments(args, timedRun(args), 3, 11, [&] {
      requireCheckpointsConsistent(dir_);
      QCOMPARE(countRows(dir_, incomplete), int64_t{0});
    });
    QVERIFY(landed > 0);
    const int64_t before = countRows(dir_, "SELECT COUNT(*) FROM subnets");
    CLI_OK(test::runCli(args));
    QCOMPARE(countRows(dir_, "SELECT COUNT(*) FROM subnets"), before + 6);
  }

  // A latency table is stored with all its entries and checks or not at all.
  void latencyTableKilledIsAllOrNothing() {
    const auto args = test::q({"latency-table", dir_, "--runs", "20", "--validate", "6", "--threads", "2"});
    const auto complete = [&] {
      requireCheckpointsConsistent(dir_);
      const int64_t tables = countRows(dir_, "SELECT COUNT(*) FROM latency_tables");
      const int64_t perTable = countRows(dir_, "SELECT COUNT(*) FROM latency_entries WHERE table_id = "
                                               "(SELECT MIN(id) FROM latency_tables)");
      QCOMPARE(countRows(dir_, "SELECT COUNT(*) FROM latency_entries"), tables * perTable);
      QCOMPARE(countRows(dir_, "SELECT COUNT(*) FROM latency_checks"), tables * 6);
    };
    const int landed = killAtRandomMoments(args, timedRun(args), 3, 12, complete);
    QVERIFY(landed > 0);
    const int64_t before = countRows(dir_, "SELECT COUNT(*) FROM latency_tables");
    CLI_OK(test::runCli(args));
    QCOMPARE(countRows(dir_, "SELECT COUNT(*) FROM latency_tables"), before + 1);
    complete();
  }

  // A search's predicted candidates are stored all together (its --keep of them) or not at all.
  void searchKilledStoresAllItsCandidatesOrNone() {
    // No --verify: the searched subnets it stores would change the predictor of the next
    // search (evaluate is killed above), and with the same seed the same candidates return.
    const auto args = test::q({"search", dir_, "--max-macs", "1000", "--population", "16",
                               "--generations", "60", "--keep", "5", "--verify", "0", "--threads", "2"});
    const std::string predicted = "SELECT COUNT(*) FROM subnets WHERE source = 'predicted'";
    const int64_t old = countRows(dir_, predicted);
    const qint64 fullMs = timedRun(args);
    const int64_t found = countRows(dir_, predicted) - old;
    QVERIFY(found > 0);
    const int landed = killAtRandomMoments(args, fullMs, 3, 13, [&] {
      requireCheckpointsConsistent(dir_);
      QCOMPARE(countRows(dir_, predicted) % found, int64_t{0});
    });
    QVERIFY(landed > 0);
    const int64_t before = countRows(dir_, predicted);
    CLI_OK(test::runCli(args));
    QCOMPARE(countRows(dir_, predicted), before + found);
  }

  // An export replacing an older one (--force), killed: the folder is always there whole (the
  // old export or the new one) and the rerun leaves nothing else beside it.
  void exportKilledLeavesTheOldOrTheNewFolderWhole() {
    const std::string exports = dir_ + "/exports";
    const auto args = test::q({"export", dir_, "--arch", "max", "--name", "best", "--force",
                               "--latency-runs", "3", "--threads", "2"});
    const auto whole = [&] {
      const QString folder = QString::fromStdString(exports + "/best");
      QVERIFY2(QFileInfo::exists(folder + "/manifest.json"), entriesOf(exports).join(' ').toUtf8());
      const QJsonDocument manifest = [&] {
        QFile f(folder + "/manifest.json");
        f.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(f.readAll());
      }();
      QVERIFY(!manifest.isNull());
      for (const QString& model : {QString("model.onnx"), QString("model.pt")}) {
        QVERIFY(QFileInfo::exists(folder + "/" + model));
      }
    };
    const int landed = killAtRandomMoments(args, timedRun(args), 3, 14, whole);
    QVERIFY(landed > 0);
    CLI_OK(test::runCli(args));
    whole();
    QCOMPARE(entriesOf(exports), QStringList{"best"});
  }

  // import-runs killed: the run is there with all its checkpoint files or not at all.
  void importKilledLeavesNoHalfRun() {
    const std::string target = scratch_.path("target");
    CLI_OK(test::runCli(test::q({"init", target})));
    const auto args = test::q({"import-runs", target, dir_});
    const std::string metricsOfRuns =
        "SELECT COUNT(*) FROM metrics WHERE run_id IN (SELECT id FROM runs)";
    const int64_t rowsPerRun = countRows(dir_, "SELECT COUNT(*) FROM metrics WHERE run_id = 1");
    const int landed = killAtRandomMoments(args, timedRun(args), 3, 15, [&] {
      // Files a killed import had copied belong to no run yet: the next import removes them.
      const std::string problem = test::checkpointProblem(target, test::Unrecorded::OfMissingRuns);
      QVERIFY2(problem.empty(), problem.c_str());
      QCOMPARE(countRows(target, metricsOfRuns),
               countRows(target, "SELECT COUNT(*) FROM runs") * rowsPerRun);
    });
    QVERIFY(landed > 0);
    const int64_t before = countRows(target, "SELECT COUNT(*) FROM runs");
    CLI_OK(test::runCli(args));
    QCOMPARE(countRows(target, "SELECT COUNT(*) FROM runs"), before + 1);
    requireCheckpointsConsistent(target);
  }

 private:
  test::Scratch scratch_;
  std::string dir_;
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crash_safety.moc"
