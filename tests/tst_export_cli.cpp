// supernet-cli export on a project trained on a Fashion-MNIST subset (the dense fixture):
// the files, the manifest and its checksums, verification, fine-tuning, and how bad input is
// refused without touching what is already there.
#include <QtTest>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "cli_support.h"
#include "core/export/torchscript_writer.h"
#include "core/util/sha256.h"
#include "db/store.h"
#include "test_support.h"
#include "trained_fixture.h"

using namespace sn;
using nlohmann::json;
using sn::test::CliResult;
using sn::test::q;
using sn::test::runCli;
namespace fs = std::filesystem;

namespace {

json runJson(std::initializer_list<std::string> args) {
  const CliResult r = runCli(q(args));
  if (r.code != 0) qFatal("supernet-cli failed (%d): %s", r.code, r.err.c_str());
  return json::parse(r.out);
}

json readJson(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// Everything under exports/, hidden staging folders included.
std::vector<std::string> exportEntries(const std::string& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir + "/exports")) return out;
  for (const auto& e : fs::directory_iterator(dir + "/exports")) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

class TestExportCli : public QObject {
  Q_OBJECT

 private:
  test::Scratch scratch;
  std::string dir;
  json first;  // manifest of the first export

 private Q_SLOTS:
  void initTestCase() {
    dir = test::copyOfTrainedProject(test::Trained::Dense, scratch.path("trained"));
    const CliResult r = runCli(q({"evaluate", dir, "--arch", "max", "--no-latency", "--threads", "2"}));
    QVERIFY2(r.code == 0, r.err.c_str());
  }

  void exportWritesVerifiedModelsAndAManifest() {
    first = runJson({"export", dir, "--arch", "max", "--threads", "2", "--latency-runs", "5", "--json"});
    const std::string folder = dir + "/exports/" + first["name"].get<std::string>();
    QVERIFY(fs::is_regular_file(folder + "/model.onnx"));
    QVERIFY(fs::is_regular_file(folder + "/model.pt"));
    QCOMPARE(readJson(folder + "/manifest.json"), first);
    for (const auto& [file, entry] : first["files"].items()) {
      QCOMPARE(entry["sha256"].get<std::string>(), sha256File(folder + "/" + file));
      QCOMPARE(entry["bytes"].get<int64_t>(), static_cast<int64_t>(fs::file_size(folder + "/" + file)));
    }
    QVERIFY(first["verification"]["passed"].get<bool>());
    QCOMPARE(first["verification"]["checks"].size(), size_t(2));
    for (const json& c : first["verification"]["checks"]) {
      QVERIFY(c["max_abs_diff"].get<double>() <= 1e-4);
      QVERIFY(std::abs(c["accuracy"].get<double>() - first["accuracy"]["reference"].get<double>()) <= 0.001);
    }
    // The stored evaluation of the same arch and checkpoint is what the export reproduces.
    QVERIFY(std::abs(first["accuracy"]["stored"].get<double>() - first["accuracy"]["reference"].get<double>()) <= 0.001);
    const double accuracy = first["accuracy"]["reference"].get<double>();
    QVERIFY2(accuracy > 0.4, std::to_string(accuracy).c_str());  // trained: far above chance (0.1)
    QCOMPARE(first["arch"]["text"].get<std::string>().empty(), false);
    QVERIFY(first["arch"]["json"].is_object());
    QVERIFY(first["space"].is_object());
    QCOMPARE(first["dataset"]["class_names"].size(), size_t(10));
    QCOMPARE(first["input"]["shape"], json({"batch", 1, 28, 28}));
    QCOMPARE(first["input"]["normalisation"]["mean"].size(), size_t(1));
    QCOMPARE(first["macs"]["dense"], first["macs"]["cost_model"]);
    QCOMPARE(first["macs"]["sparse"], first["macs"]["dense"]);  // nothing pruned
    QCOMPARE(first["sparsity"].get<double>(), 0.0);
    QVERIFY(first["params"].get<int64_t>() > 0);
    QVERIFY(first["latency"]["ms"].get<double>() > 0);
    QVERIFY(first["latency"]["device"].get<std::string>().find("cpu") != std::string::npos);
    QCOMPARE(first["run"]["id"].get<int64_t>(), int64_t(1));
    QVERIFY(!first["checkpoint"]["sha256"].get<std::string>().empty());
    QVERIFY(!first["tool"]["version"].get<std::string>().empty());
    QVERIFY(first["fine_tune"].is_null());
    // The TorchScript archive loads on its own and carries the manifest.
    QCOMPARE(json::parse(torchScriptExtraFile(folder + "/model.pt", "manifest.json"))["arch"], first["arch"]);
  }

  void existingFolderNeedsForceAndIsKeptOtherwise() {
    const std::string folder = dir + "/exports/" + first["name"].get<std::string>();
    const std::string before = sha256File(folder + "/model.onnx");
    const CliResult r = runCli(q({"export", dir, "--arch", "max", "--threads", "2", "--no-latency"}));
    EXPECT_BAD_INPUT(r, "already exists");
    QCOMPARE(sha256File(folder + "/model.onnx"), before);
    const CliResult forced = runCli(q({"export", dir, "--arch", "max", "--threads", "2", "--no-latency", "--force"}));
    QVERIFY2(forced.code == 0, forced.err.c_str());
    QVERIFY(forced.out.find("verification passed") != std::string::npos);
    QVERIFY(readJson(folder + "/manifest.json")["latency"].is_null());
  }

  void badInputIsRefusedAndLeavesNoFiles() {
    const std::vector<std::string> before = exportEntries(dir);
    EXPECT_BAD_INPUT(runCli(q({"export", dir, "--arch", "d=9,9,9 k=3 e=3", "--name", "bad"})), "arch");
    EXPECT_BAD_INPUT(runCli(q({"export", dir, "--subnet", "99999"})), "no subnet 99999");
    EXPECT_BAD_INPUT(runCli(q({"export", dir, "--arch", "min", "--formats", "tflite"})), "tflite");
    EXPECT_BAD_INPUT(runCli(q({"export", dir})), "--arch");
    EXPECT_BAD_INPUT(runCli(q({"export", dir, "--arch", "min", "--name", "../x"})), "must not contain");
    QCOMPARE(exportEntries(dir), before);
    const std::string fresh = scratch.path("untrained");
    QCOMPARE(runCli(q({"init", fresh, "--template", "fmnist-tiny"})).code, 0);
    EXPECT_BAD_INPUT(runCli(q({"export", fresh, "--arch", "max"})), "train it before exporting");
  }

  void fineTunedFixedBatchExportOfAStoredSubnet() {
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const SubnetRecord smallest = store.subnets().forRun(1).front();
    const json m = runJson({"export", dir, "--subnet", std::to_string(smallest.id), "--finetune", "1",
                            "--batch", "8", "--formats", "onnx", "--name", "tuned", "--no-latency",
                            "--threads", "2", "--json"});
    QCOMPARE(m["arch"]["text"].get<std::string>(), smallest.arch);
    QCOMPARE(m["input"]["shape"][0].get<int>(), 8);
    QCOMPARE(m["fine_tune"]["epochs"].get<int>(), 1);
    QCOMPARE(m["accuracy"]["reference"], m["fine_tune"]["accuracy_after"]);
    QVERIFY(m["fine_tune"]["accuracy_change"].is_number());
    QCOMPARE(m["verification"]["reference"].get<std::string>(), std::string("fine-tuned subnet"));
    QVERIFY(m["verification"]["passed"].get<bool>());
    QVERIFY(fs::exists(dir + "/exports/tuned/model.onnx"));
    QVERIFY(!fs::exists(dir + "/exports/tuned/model.pt"));
  }

  void missingCheckpointFileIsNamed() {
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    fs::rename(dir + "/" + store.checkpoints().latest(1)->path, scratch.path("moved.pt"));
    const CliResult r = runCli(q({"export", dir, "--arch", "min", "--name", "nockpt"}));
    EXPECT_BAD_INPUT(r, "checkpoint not found");
    QVERIFY(!fs::exists(dir + "/exports/nockpt"));
  }
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_export_cli.moc"
