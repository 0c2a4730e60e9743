// Every bad input through the real supernet-cli binary: one clear message naming the file
// or value and the problem, exit code 2, and nothing already stored changed.
#include <QProcess>
#include <QtTest>
#include <signal.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "core/util/sha256.h"
#include "cli_support.h"
#include "db/store.h"
#include "test_support.h"
#include "trained_fixture.h"

using namespace sn;
using sn::test::CliResult;
using sn::test::q;
using sn::test::runCli;
namespace fs = std::filesystem;

namespace {

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A copy of the dense fixture (runs, checkpoints, subnets), made once per executable.
std::string trainedProject(const test::Scratch& s) {
  const std::string dir = s.path("trained");
  if (!fs::exists(dir)) test::copyOfTrainedProject(test::Trained::Dense, dir);
  return dir;
}

}  // namespace

class TestCliBadInput : public QObject {
  Q_OBJECT

 private:
  test::Scratch scratch;

  std::string idxProject(const std::string& name, const std::string& dataDir) {
    const std::string dir = scratch.path(name);
    const CliResult r = runCli(q({"init", dir, "--template", "fmnist-small", "--dataset", "idx",
                                  "--data-dir", dataDir}));
    if (r.code != 0) qFatal("init failed: %s", r.err.c_str());
    return dir;
  }

  // A copy of the Fashion-MNIST folder in which one file is replaced.
  std::string brokenDataDir(const std::string& name, const std::string& file,
                            const std::string& bytes) {
    const std::string dir = scratch.path(name);
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(test::fashionMnistDir())) {
      fs::copy_file(e.path(), fs::path(dir) / e.path().filename(),
                    fs::copy_options::overwrite_existing);
    }
    fs::remove(fs::path(dir) / (file + ".gz"));
    writeText(dir + "/" + file, bytes);
    return dir;
  }

 private Q_SLOTS:
  void helpListsEveryVerb() {
    const CliResult r = runCli({"--help"});
    QCOMPARE(r.code, 0);
    for (const char* verb : {"init", "train", "resume", "eval", "runs", "macs", "bench-train"}) {
      QVERIFY(r.out.find(verb) != std::string::npos);
    }
  }

  void macsPrintsExactCounts() {
    const CliResult r = runCli(q({"macs", "--space", "fmnist-small", "--res", "28", "--channels",
                                  "1", "--classes", "10", "--arch", "max", "--json"}));
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.find("\"macs\"") != std::string::npos);
  }

  void unknownTemplate() {
    const std::string dir = scratch.path("never");
    EXPECT_BAD_INPUT(runCli(q({"init", dir, "--template", "resnet"})), "unknown template 'resnet'");
    QVERIFY(!fs::exists(dir));
  }

  void badRecipeValueMakesNoProject() {
    const std::string dir = scratch.path("fp16");
    EXPECT_BAD_INPUT(runCli(q({"init", dir, "--precision", "fp16"})),
                     "precision must be fp32 or bf16");
    QVERIFY(!fs::exists(dir));
    EXPECT_BAD_INPUT(runCli(q({"bench-train", "--space", "fmnist-small", "--res", "28",
                               "--channels", "1", "--classes", "10", "--channels-last", "maybe"})),
                     "'maybe' is neither on nor off");
    EXPECT_BAD_INPUT(runCli(q({"selftest", "--device", "cuda:7"})), "device 'cuda:7'");
  }

  void unwritableFolder() {
    writeText(scratch.path("a-file"), "x");
    EXPECT_BAD_INPUT(runCli(q({"init", scratch.path("a-file/proj")})),
                     scratch.path("a-file/proj") + ": cannot create project folder");
  }

  void initRefusesAnExistingProject() {
    const std::string dir = trainedProject(scratch);
    const std::string before = sha256File(dir + "/project.sqlite");
    EXPECT_BAD_INPUT(runCli(q({"init", dir})), "already holds a project");
    QCOMPARE(sha256File(dir + "/project.sqlite"), before);
  }

  void missingDatasetFile() {
    const std::string data = scratch.path("empty-data");
    fs::create_directories(data);
    const std::string dir = idxProject("missing-data", data);
    const std::string before = sha256File(dir + "/project.sqlite");
    EXPECT_BAD_INPUT(runCli(q({"train", dir})), data + "/train-images-idx3-ubyte.gz: file not found");
    QCOMPARE(sha256File(dir + "/project.sqlite"), before);
  }

  void truncatedDatasetFile() {
    const std::string data = brokenDataDir("truncated-data", "train-labels-idx1-ubyte",
                                           std::string("\0\0\x08\x01\0\0\xea\x60", 8) + "abc");
    const std::string dir = idxProject("truncated", data);
    EXPECT_BAD_INPUT(runCli(q({"train", dir})), "train-labels-idx1-ubyte: file is truncated");
  }

  void wrongIdxMagic() {
    const std::string data = brokenDataDir("magic-data", "train-labels-idx1-ubyte",
                                           std::string("\0\0\x0d\x01\0\0\0\x01\x05", 9));
    const std::string dir = idxProject("magic", data);
    EXPECT_BAD_INPUT(runCli(q({"train", dir})), "train-labels-idx1-ubyte: not an IDX file");
  }

  void invalidJson() {
    writeText(scratch.path("space.json"), "{\"name\": \"x\", ");
    EXPECT_BAD_INPUT(runCli(q({"macs", "--space", scratch.path("space.json"), "--arch", "max"})),
                     scratch.path("space.json") + ": not valid JSON");
    EXPECT_BAD_INPUT(runCli(q({"macs", "--space", "ofa-mbv3", "--arch-json", "{\"ks\": [3,"})),
                     "not valid JSON");
  }

  void archOutsideTheSpace() {
    EXPECT_BAD_INPUT(runCli(q({"macs", "--space", "fmnist-small", "--arch",
                               "d=1,1,4 k=3|3|3,3,3,3 e=2|2|2,2,2,2"})),
                     "stage 3: depth 4 is not one of {1,2}");
    const std::string dir = trainedProject(scratch);
    const std::string before = sha256File(dir + "/project.sqlite");
    EXPECT_BAD_INPUT(runCli(q({"eval", dir, "--arch", "d=1,1,1 k=9|3|3 e=2|2|2"})),
                     "kernel 9 is not one of {3,5}");
    QCOMPARE(sha256File(dir + "/project.sqlite"), before);
  }

  void unknownDeviceAndUnavailableCuda() {
    const std::string dir = trainedProject(scratch);
    EXPECT_BAD_INPUT(runCli(q({"train", dir, "--device", "tpu"})), "unknown device 'tpu'");
    const CliResult r = runCli(q({"bench-train", "--space", "fmnist-small", "--device", "cuda",
                                  "--steps", "1"}));
    if (r.code == 0) QSKIP("this LibTorch has CUDA and a GPU: nothing to refuse");
    EXPECT_BAD_INPUT(r, "CUDA is not available");
  }

  void newerSchemaIsRefusedAndUntouched() {
    const std::string dir = scratch.path("future");
    QCOMPARE(runCli(q({"init", dir})).code, 0);
    sqlite3* db = nullptr;
    sqlite3_open((dir + "/project.sqlite").c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const std::string before = sha256File(dir + "/project.sqlite");
    EXPECT_BAD_INPUT(runCli(q({"runs", dir})), "schema version 99 is newer");
    QCOMPARE(sha256File(dir + "/project.sqlite"), before);
  }

  void notAProject() {
    EXPECT_BAD_INPUT(runCli(q({"runs", scratch.path()})), "not a Supernet Studio project");
  }

  void corruptCheckpoint() {
    const std::string dir = trainedProject(scratch);
    // The latest checkpoint: the one eval loads.
    const std::string checkpoint =
        dir + "/" + Store(dir + "/project.sqlite", Database::Mode::ReadOnly).checkpoints().latest(1)->path;
    QVERIFY(fs::is_regular_file(checkpoint));
    const std::string saved = checkpoint + ".saved";
    fs::copy_file(checkpoint, saved);
    {
      std::fstream f(checkpoint, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(200);
      f.write("garbage!", 8);
    }
    const std::string before = sha256File(dir + "/project.sqlite");
    EXPECT_BAD_INPUT(runCli(q({"eval", dir, "--arch", "max"})), checkpoint + ": checkpoint is corrupt");
    QCOMPARE(sha256File(dir + "/project.sqlite"), before);
    fs::rename(saved, checkpoint);
    const CliResult ok = runCli(q({"eval", dir, "--arch", "max", "--json"}));
    QVERIFY2(ok.code == 0, ok.err.c_str());
    QVERIFY(ok.out.find("\"accuracy\"") != std::string::npos);
  }

  void unknownOptionsAndVerbs() {
    EXPECT_BAD_INPUT(runCli({"fly"}), "unknown verb 'fly'");
    EXPECT_BAD_INPUT(runCli(q({"train", scratch.path(), "--epoch", "3"})), "unknown option --epoch");
    EXPECT_BAD_INPUT(runCli(q({"train", scratch.path(), "--epochs", "three"})),
                     "'three' is not an integer");
  }

  void interruptStopsAfterTheStepAndLeavesAResumableRun() {
    const std::string dir = scratch.path("interrupt");
    QCOMPARE(runCli(q({"init", dir, "--dataset", "synthetic", "--epochs", "50"})).code, 0);
    QProcess p;
    p.start(SN_CLI_PATH, q({"train", dir, "--threads", "2"}));
    QVERIFY(p.waitForStarted());
    // The first progress line comes after the first step; wait for it (no event loop here,
    // so read with the blocking calls).
    QByteArray err;
    QElapsedTimer waited;
    waited.start();
    while (!err.contains("step") && waited.elapsed() < 120000) {
      p.waitForReadyRead(1000);
      err += p.readAllStandardError();
    }
    QVERIFY2(err.contains("step"), err.constData());
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const std::string out = p.readAllStandardOutput().toStdString();
    QVERIFY2(out.find("stopped") != std::string::npos, out.c_str());
    const CliResult runs = runCli(q({"runs", dir, "--json"}));
    QVERIFY(runs.out.find("\"stopped\"") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestCliBadInput)
#include "tst_cli_bad_input.moc"
