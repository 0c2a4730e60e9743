// A trainer killed at any moment loses nothing and the run still ends as an uninterrupted
// one would: a kill before the first checkpoint (the run shows as interrupted, resume starts
// it over), checkpoints by time with their retention, and kills at seeded random moments
// after time checkpoints, each followed by a resume.
#include <QProcess>
#include <QtTest>

#include <csignal>
#include <random>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_support.h"
#include "core/project/project.h"
#include "core/project/training_session.h"
#include "db/database.h"
#include "db/statement.h"
#include "db/store.h"
#include "test_support.h"

using namespace sn;

namespace {

// fmnist-tiny on `images` training images (1024: 16 steps an epoch), a metric row every step.
void makeProject(const std::string& dir, int epochs, double checkpointMinutes, int images) {
  Project project = Project::create(dir, "fmnist-tiny");
  ProjectConfig config = project.config();
  config.dataset.trainLimit = images;
  config.dataset.testLimit = 200;
  config.recipe.batchSize = 64;
  config.recipe.epochs = epochs;
  config.recipe.logEvery = 1;
  config.recipe.subnetsPerStep = 1;
  config.recipe.recalBatches = 2;
  config.recipe.evalBatchSize = 100;
  config.recipe.probeSubnets = 2;
  config.recipe.checkpointMinutes = checkpointMinutes;
  project.saveConfig(config);
}

// Every metric row but the timing ones (throughput depends on the machine's moment).
std::vector<std::pair<std::string, MetricSample>> metricRows(const std::string& dir) {
  Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
  std::vector<std::pair<std::string, MetricSample>> rows;
  for (const std::string& key : store.metrics().keys(1)) {
    if (key.rfind("throughput/", 0) == 0) continue;
    for (const MetricSample& m : store.metrics().series(1, key)) rows.emplace_back(key, m);
  }
  return rows;
}

// The same rows, steps and values (to the last bit: the same computation repeated).
bool sameRows(const std::string& a, const std::string& b, std::string* why) {
  const auto ra = metricRows(a), rb = metricRows(b);
  if (ra.size() != rb.size()) {
    *why = std::to_string(ra.size()) + " rows vs " + std::to_string(rb.size());
    return false;
  }
  for (size_t i = 0; i < ra.size(); ++i) {
    if (ra[i].first != rb[i].first || ra[i].second.step != rb[i].second.step ||
        ra[i].second.value != rb[i].second.value) {
      *why = ra[i].first + " at step " + std::to_string(ra[i].second.step) + ": " +
             std::to_string(ra[i].second.value) + " vs " + std::to_string(rb[i].second.value);
      return false;
    }
  }
  return true;
}

int64_t lastStepStored(const std::string& dir) {
  try {
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const auto rows = store.metrics().series(1, "loss/largest");
    return rows.empty() ? -1 : rows.back().step;
  } catch (const std::exception&) {
    return -1;
  }
}

std::string runStatus(const std::string& dir) {
  const test::CliResult r = test::runCli(test::q({"runs", dir, "--json"}));
  return nlohmann::json::parse(r.out)[0]["status"].get<std::string>();
}

// Checkpoint rows and files agree: no file unrecorded or half-written, no row without its file.
void requireCheckpointsConsistent(const std::string& dir) {
  Project project = Project::open(dir);
  std::set<QString> recorded;
  for (const CheckpointRecord& c : project.store().checkpoints().forRun(1)) {
    recorded.insert(QFileInfo(QString::fromStdString(project.checkpointPath(c.path))).fileName());
  }
  const QStringList files = QDir(QString::fromStdString(project.checkpointsDir())).entryList(QDir::Files);
  QCOMPARE(std::set<QString>(files.begin(), files.end()), recorded);
  Statement check = project.store().db().prepare("PRAGMA integrity_check");
  QVERIFY(check.step());
  QCOMPARE(check.columnText(0), std::string("ok"));
}

std::string trainUninterrupted(const test::Scratch& s, int epochs, double minutes, int images,
                               int threads = 1) {
  const std::string dir = s.path("straight");
  makeProject(dir, epochs, minutes, images);
  const test::CliResult r =
      test::runCli(test::q({"train", dir, "--threads", std::to_string(threads)}));
  if (r.code != 0) throw std::runtime_error(r.err);
  return dir;
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
    makeProject(dir, 1, 0, 1024);
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
      QCOMPARE(project.store().runs().find(1)->status, std::string("running"));  // as stored
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
    makeProject(plain, 2, 0, 1024);
    makeProject(timed, 2, 0.1 / 60, 1024);
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
    makeProject(dir, 1, minutes, 2048);
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
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crash_safety.moc"
