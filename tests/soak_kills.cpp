// The crash-safety soak: `supernet-cli train` on a tiny project killed with SIGKILL at seeded
// random moments (at least 20 times by default), resumed after each. Afterwards the database
// passes PRAGMA integrity_check, every checkpoint file is recorded and whole, the metric rows
// have no gap and no step twice, and the rows and the final weights equal those of an
// uninterrupted run with the same seed. Prints its figures; exits 1 on any failure.
//   soak_kills [--kills N] [--seed S] [--max-seconds T]
// A CTest test (label soak); not a QtTest function, since 20 kills take minutes on a slow machine.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <random>
#include <string>

#include <torch/torch.h>

#include "core/data/dataset_spec.h"
#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "crash_support.h"

using namespace sn;

namespace {

struct Options {
  int kills = 20;
  uint32_t seed = 7;
  int maxSeconds = 900;  // the bound: a soak that cannot finish says so instead of hanging
};

Options parse(const QStringList& args) {
  Options o;
  for (int i = 1; i + 1 < args.size(); i += 2) {
    if (args[i] == "--kills")
      o.kills = args[i + 1].toInt();
    else if (args[i] == "--seed")
      o.seed = args[i + 1].toUInt();
    else if (args[i] == "--max-seconds")
      o.maxSeconds = args[i + 1].toInt();
  }
  return o;
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "soak FAILED: %s\n", what.c_str());
  std::exit(1);
}

// Steps of a series stored more than once or missing between its first and last row.
std::string gapsOrDuplicates(const std::string& dir) {
  Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
  const auto rows = store.metrics().series(1, "loss/largest");
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].step != rows[i - 1].step + 1) {
      return "loss/largest jumps from step " + std::to_string(rows[i - 1].step) + " to " +
             std::to_string(rows[i].step);
    }
  }
  return "";
}

// Where run 1's final weights differ between two projects ("" when they do not): every
// parameter and buffer (BN statistics, masks) of the last checkpoint, bit for bit. Not the
// files' bytes: LibTorch writes the optimiser's per-parameter state in an order of its own,
// which differs between processes.
std::string weightsDiffer(const std::string& a, const std::string& b) {
  Project pa = Project::open(a), pb = Project::open(b);
  const auto ca = pa.store().checkpoints().latest(1), cb = pb.store().checkpoints().latest(1);
  if (!ca || !cb) return "no checkpoint at the end";
  if (ca->step != cb->step)
    return "last checkpoints at steps " + std::to_string(ca->step) + " and " +
           std::to_string(cb->step);
  Supernet na(pa.config().space, datasetShape(pa.config().dataset));
  Supernet nb(pb.config().space, datasetShape(pb.config().dataset));
  loadCheckpoint(pa.checkpointPath(ca->path), *na, nullptr);
  loadCheckpoint(pb.checkpointPath(cb->path), *nb, nullptr);
  const auto compare = [](const auto& x, const auto& y) -> std::string {
    if (x.size() != y.size()) return "different tensor counts";
    for (const auto& item : x) {
      const at::Tensor* other = y.find(item.key());
      if (!other || !torch::equal(item.value(), *other)) return item.key();
    }
    return "";
  };
  if (std::string p = compare(na->named_parameters(), nb->named_parameters()); !p.empty()) return p;
  return compare(na->named_buffers(), nb->named_buffers());
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const Options o = parse(app.arguments());
  QElapsedTimer total;
  total.start();
  test::Scratch s;
  // 3 epochs of 24 steps, a checkpoint every 0.2 s and at each epoch end: kills land in
  // steps, in checkpoint writes, in the epoch-end evaluations and in start-up.
  const double minutes = 0.2 / 60;
  const int epochs = 3, images = 1536;
  const std::string straight = s.path("straight"), dir = s.path("killed");
  test::makeCrashProject(straight, epochs, minutes, images);
  const test::CliResult r = test::runCli(test::q({"train", straight, "--threads", "2"}));
  if (r.code != 0) fail("uninterrupted run: " + r.err);
  const double straightSeconds = total.elapsed() / 1000.0;
  test::makeCrashProject(dir, epochs, minutes, images);

  std::mt19937 rng(o.seed);
  std::uniform_int_distribution<int> steps(0, 3), extraMs(0, 300);
  int64_t killedAt = -1;
  int beforeAnyNewStep = 0, beforeTheRun = 0, resumes = 1;  // the final one
  for (int kill = 0; kill < o.kills; ++kill) {
    if (total.elapsed() > o.maxSeconds * 1000LL)
      fail("over " + std::to_string(o.maxSeconds) + " s");
    QProcess cli;
    // Killed before it made its run, the trainer is started anew: there is nothing to resume.
    const bool made = test::runStatus(dir) != "no run";
    resumes += made ? 1 : 0;
    cli.start(SN_CLI_PATH, test::q({made ? "resume" : "train", dir, "--threads", "2"}));
    const int64_t target = killedAt + steps(rng);
    QElapsedTimer t;
    t.start();
    // waitForFinished, not a sleep: QProcess learns of an exit only while waiting on it.
    while (test::lastStepStored(dir) < target && !cli.waitForFinished(20) && t.elapsed() < 120000) {
    }
    QThread::msleep(extraMs(rng));
    if (cli.state() == QProcess::NotRunning) {
      fail("the run ended after " + std::to_string(kill) +
           " kills: " + cli.readAllStandardError().toStdString());
    }
    ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
    cli.waitForFinished(10000);
    const int64_t now = test::lastStepStored(dir);
    if (now <= killedAt) ++beforeAnyNewStep;
    killedAt = now;
    const std::string status = test::runStatus(dir);
    if (status != "interrupted" && status != "no run") {
      fail("after kill " + std::to_string(kill + 1) + ": status " + status);
    }
    if (status == "no run") ++beforeTheRun;
    const std::string problem = test::integrityProblem(dir + "/project.sqlite");
    if (!problem.empty()) fail("after kill " + std::to_string(kill + 1) + ": " + problem);
    std::printf("kill %2d at step %3lld (%.1f s)\n", kill + 1, static_cast<long long>(now),
                total.elapsed() / 1000.0);
  }
  const test::CliResult last = test::runCli(test::q({"resume", dir, "--threads", "2"}));
  if (last.code != 0) fail("final resume: " + last.err);
  if (test::runStatus(dir) != "finished") fail("not finished after the final resume");
  if (const std::string p = test::checkpointProblem(dir); !p.empty()) fail(p);
  if (const std::string p = gapsOrDuplicates(dir); !p.empty()) fail(p);
  std::string why;
  if (!test::sameRows(straight, dir, &why)) fail("metric rows differ: " + why);
  if (const std::string p = weightsDiffer(straight, dir); !p.empty())
    fail("final weights differ: " + p);
  std::printf(
      "soak passed: %d kills (%d before a new step was stored, %d of them before the run "
      "was made), %d resumes, "
      "integrity ok after each kill and at the end, %zu metric rows equal to the "
      "uninterrupted run's, final weights identical; %.0f s (uninterrupted run %.0f s)\n",
      o.kills, beforeAnyNewStep, beforeTheRun, resumes, test::metricRows(dir).size(),
      total.elapsed() / 1000.0, straightSeconds);
  return 0;
}
