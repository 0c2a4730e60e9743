// Export round trips: a subnet written as ONNX and TorchScript, loaded back by OpenCV DNN and
// LibTorch, gives the supernet's logits on real Fashion-MNIST images; pruning survives.
#include <QtTest>
#include <torch/script.h>
#include <torch/torch.h>

#include <fstream>

#include "core/data/batch_loader.h"
#include "core/data/dataset_pair.h"
#include "core/data/dataset_spec.h"
#include "core/export/export_graph.h"
#include "core/export/exported_model.h"
#include "core/export/onnx_writer.h"
#include "core/export/staged_folder.h"
#include "core/export/torchscript_writer.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "core/supernet/static_subnet.h"
#include "core/supernet/supernet.h"
#include "core/util/input_error.h"
#include "test_support.h"

using namespace sn;

namespace {

struct Images {
  std::unique_ptr<BatchLoader> train;
  at::Tensor test;  // 32 normalised test images
};

Images fashionMnist() {
  DatasetSpec spec;
  spec.trainLimit = 512;
  spec.testLimit = 32;
  DatasetPair data = loadDatasets(spec);
  const auto [mean, stddev] = BatchLoader::channelStatistics(data.train);
  Images out;
  out.train = std::make_unique<BatchLoader>(data.train, mean, stddev);
  out.test = BatchLoader(data.test, mean, stddev).range(0, 32).images;
  return out;
}

struct Extracted {
  at::Tensor expected;  // the supernet's logits on the test images
  StaticSubnet subnet{nullptr};
};

// BN statistics of `arch` from real training images (as export's recalibration gives), then
// the supernet's logits and the subnet extracted in eval mode.
Extracted recalibrateAndExtract(SupernetImpl& net, const Arch& arch, const Images& data) {
  torch::NoGradGuard noGrad;
  net.setActive(arch);
  net.train();
  net.beginBnRecalibration();
  for (int i = 0; i < 4; ++i) net.forward(data.train->range(i * 128, 128).images);
  net.endBnRecalibration();
  net.eval();
  Extracted out{net.forward(data.test), extractSubnet(net, arch)};
  out.subnet->eval();
  return out;
}

int64_t zeros(const at::Tensor& t) { return t.eq(0).sum().item<int64_t>(); }

int64_t onnxInitializerZeros(const std::string& path) {
  int64_t count = 0;
  for (const auto& [name, t] : readOnnxInitializers(path)) count += zeros(t);
  return count;
}

void roundTrip(const std::string& preset, int archs) {
  const Images data = fashionMnist();
  const NetShape shape = data.train->data().shape();
  torch::manual_seed(3);
  Supernet net(spacePreset(preset), shape);
  std::mt19937_64 rng(11);
  test::Scratch scratch;
  for (int i = 0; i < archs; ++i) {
    const Arch arch = i == 0 ? Arch::largest(net->space()) : Arch::sample(net->space(), rng);
    const auto [expected, subnet] = recalibrateAndExtract(*net, arch, data);
    const ExportGraph graph = buildExportGraph(*subnet, shape);
    QCOMPARE(graph.denseMacs(), computeCost(net->space(), arch, shape).macs);
    const std::string onnxPath = scratch.path(std::to_string(i) + ".onnx");
    const std::string ptPath = scratch.path(std::to_string(i) + ".pt");
    OnnxWriteOptions options;
    options.batch = i % 2 == 0 ? 0 : data.test.size(0);  // dynamic and fixed batch both
    writeOnnxModel(graph, onnxPath, options);
    writeTorchScriptModel(graph, ptPath);
    for (const ExportedModel& m : {ExportedModel::loadOnnxWithOpenCv(onnxPath), ExportedModel::loadTorchScript(ptPath)}) {
      const double diff = maxAbsDifference(m.logits(data.test), expected);
      QVERIFY2(diff <= 1e-4, (preset + " " + arch.toText() + " via " + m.runtime() + ": max abs diff " +
                              std::to_string(diff)).c_str());
    }
  }
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The largest and sampled archs, dynamic and fixed batch alternating. ofa-mbv3 (SE in
  // every block of its later stages, 5 stages) costs 1.7 s an arch here: 4 archs keep the
  // function far under a minute on the slowest machine and still cover both batch modes.
  void onnxAndTorchScriptGiveTheSupernetLogitsFmnistSmall() { roundTrip("fmnist-small", 6); }

  void onnxAndTorchScriptGiveTheSupernetLogitsOfaMbv3() { roundTrip("ofa-mbv3", 4); }

  void prunedWeightsStayZeroInBothFiles() {
    const Images data = fashionMnist();
    const NetShape shape = data.train->data().shape();
    torch::manual_seed(4);
    Supernet net(spacePreset("fmnist-small"), shape);
    net->enableMasks();
    {
      torch::NoGradGuard noGrad;
      for (auto& b : net->buffers()) {
        if (b.dim() >= 2) b.copy_(torch::rand_like(b).gt(0.5).to(b.dtype()));  // prune half
      }
    }
    const Arch arch = Arch::largest(net->space());
    const auto [expected, subnet] = recalibrateAndExtract(*net, arch, data);
    int64_t blockWeights = 0, maskZeros = 0;
    for (const auto& block : *subnet->blocks) {
      for (const auto& p : block->parameters()) {
        if (p.dim() != 4) continue;  // conv weights
        blockWeights += p.numel();
        maskZeros += zeros(p);
      }
    }
    QVERIFY2(maskZeros > blockWeights / 4, "the masks did not reach the extracted weights");
    const ExportGraph graph = buildExportGraph(*subnet, shape);
    QVERIFY(graph.sparseMacs() < graph.denseMacs());
    test::Scratch scratch;
    writeOnnxModel(graph, scratch.path("m.onnx"), {});
    writeTorchScriptModel(graph, scratch.path("m.pt"));
    int64_t graphZeros = 0;
    for (const ExportNode& n : graph.nodes) graphZeros += n.weight.defined() ? zeros(n.weight) + zeros(n.bias) : 0;
    QVERIFY(graphZeros >= maskZeros);
    QVERIFY(std::abs(graph.sparsity() - static_cast<double>(maskZeros) / graph.weightCount()) < 0.01);
    QCOMPARE(onnxInitializerZeros(scratch.path("m.onnx")), graphZeros);
    int64_t scriptZeros = 0;
    for (const auto& p : torch::jit::load(scratch.path("m.pt")).parameters()) scriptZeros += zeros(p);
    QCOMPARE(scriptZeros, graphZeros);
    QVERIFY(maxAbsDifference(ExportedModel::loadOnnxWithOpenCv(scratch.path("m.onnx")).logits(data.test), expected) <= 1e-4);
  }

  void pythonOnnxCheckerAcceptsTheModel() {
    if (std::system("/usr/bin/python3 -c 'import onnx' 2>/dev/null") != 0) {
      QSKIP("python3-onnx is not installed; the ONNX checker cannot run");
    }
    torch::manual_seed(5);
    Supernet net(spacePreset("ofa-mbv3"), NetShape{1, 28, 10});
    net->eval();
    StaticSubnet subnet = extractSubnet(*net, Arch::largest(net->space()));
    subnet->eval();
    test::Scratch scratch;
    const std::string path = scratch.path("m.onnx");
    writeOnnxModel(buildExportGraph(*subnet, NetShape{1, 28, 10}), path, {});
    const std::string cmd = "/usr/bin/python3 -c 'import onnx, sys; m = onnx.load(sys.argv[1]); "
                            "onnx.checker.check_model(m, full_check=True); "
                            "assert m.opset_import[0].version >= 13' " + path;
    QCOMPARE(std::system(cmd.c_str()), 0);
  }

  void stagedFolderNeverLeavesHalfAFolder() {
    test::Scratch scratch;
    const std::string target = scratch.path("exports/a");
    {
      StagedFolder staged(target, false);
      std::ofstream(staged.path() + "/model.onnx") << "partial";
      // Destroyed without publish: as when export fails half way.
    }
    QVERIFY(!QFileInfo::exists(QString::fromStdString(target)));
    QCOMPARE(QDir(QString::fromStdString(scratch.path("exports"))).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 0);
    {
      StagedFolder staged(target, false);
      std::ofstream(staged.path() + "/old.txt") << "old";
      staged.publish();
    }
    QVERIFY_THROWS_EXCEPTION(InputError, StagedFolder(target, false));
    QVERIFY(QFileInfo::exists(QString::fromStdString(target + "/old.txt")));
    {
      StagedFolder staged(target, true);
      std::ofstream(staged.path() + "/new.txt") << "new";
      QVERIFY(QFileInfo::exists(QString::fromStdString(target + "/old.txt")));  // untouched until publish
      staged.publish();
    }
    QVERIFY(!QFileInfo::exists(QString::fromStdString(target + "/old.txt")));
    QVERIFY(QFileInfo::exists(QString::fromStdString(target + "/new.txt")));
  }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
