// Transfer: a run of a project on an image folder started from a trained Fashion-MNIST run's
// weights (grey, 10 classes -> RGB, 3 classes), with the real CLI and checkpoint files.
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "cli_support.h"
#include "core/project/image_import.h"
#include "core/project/run_transfer.h"
#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "core/train/weight_transfer.h"
#include "core/util/input_error.h"
#include "db/store.h"
#include "image_folder_support.h"
#include "trained_fixture.h"

using namespace sn;
using namespace sn::test;
namespace fs = std::filesystem;

namespace {

// A project on an RGB image folder of three Fashion-MNIST classes.
std::string imageProject(const Scratch& s) {
  writeClasses(s.path("photos"), {{"bag", 8}, {"sneaker", 7}, {"trouser", 1}}, 60);
  const std::string dir = s.path("target");
  Project p = Project::create(dir, "fmnist-tiny");
  ImageImportRequest r;
  r.root = s.path("photos");
  r.cache.channels = 3;
  r.cache.resolution = 28;
  importImages(p, r, {}, nullptr);
  return dir;
}

}  // namespace

class TestRunTransfer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void copiesTheWeightsAdaptsTheStemAndResetsTheHead() {
    Scratch s;
    const std::string source = trainedProject(Trained::Dense);
    const TransferSource from = resolveInitFrom(source, 1, "reset");
    QCOMPARE(from.from.shape, (NetShape{1, 28, 10}));
    Supernet trained(from.space, from.from.shape);
    loadCheckpoint(from.from.checkpoint, *trained, nullptr);
    torch::manual_seed(5);
    Supernet target(from.space, NetShape{3, 28, 3});
    const at::Tensor freshHead = target->classifier->weight.clone();
    const TransferOutcome out = transferWeights(*target, from.from);
    QVERIFY2(out.stem.find("repeated") != std::string::npos, out.text().c_str());
    auto src = trained->named_parameters(true);
    int same = 0;
    for (const auto& p : target->named_parameters(true)) {
      const std::string name = p.key();
      if (name.rfind("classifier.", 0) == 0) continue;
      if (name == "stem_conv.weight") {
        QVERIFY(p.value().allclose(src[name].repeat({1, 3, 1, 1}) / 3.0));
        continue;
      }
      QVERIFY2(p.value().equal(src[name]), name.c_str());
      ++same;
    }
    QVERIFY(same > 20);
    QVERIFY(target->classifier->weight.equal(freshHead));  // reset: as initialised
    // The adapted stem answers an RGB copy of a grey image as the source answered the grey one.
    const at::Tensor grey = torch::rand({2, 1, 28, 28});
    torch::NoGradGuard g;
    QVERIFY(torch::conv2d(grey.repeat({1, 3, 1, 1}), target->stemConv->weight)
                .allclose(torch::conv2d(grey, trained->stemConv->weight), 1e-5, 1e-5));
  }

  void aTransferredRunTrainsFromTheCli() {
    Scratch s;
    const std::string dir = imageProject(s);
    const std::string source = copyOfTrainedProject(Trained::Dense, s.path("source"));
    const CliResult made = runCli(q({"new-run", dir, "--init-from", source + ":1", "--json"}));
    CLI_OK(made);
    Project p = Project::open(dir);
    const auto run = p.store().runs().find(1);
    QVERIFY(run && run->origin.find("weights from project " + source) != std::string::npos);
    const ProjectConfig config = ProjectConfig::fromText(run->configJson, "run 1");
    QCOMPARE(config.recipe.lr, Project::open(source).config().recipe.lr * kFineTuneLrScale);
    QCOMPARE(config.recipe.warmupEpochs, 0.0);
    const CliResult train = runCli(q({"train", dir, "--run", "1", "--epochs", "1", "--threads", "2"}));
    CLI_OK(train);
    QVERIFY2(train.err.find("weights from project") != std::string::npos &&
                 train.err.find("classifier reset (3 classes)") != std::string::npos,
             train.err.c_str());
    QCOMPARE(Project::open(dir).store().runs().find(1)->status, RunStatus::Finished);
  }

  void badTransfersGetOneMessageAndMakeNoRun() {
    Scratch s;
    const std::string dir = imageProject(s);
    const std::string source = copyOfTrainedProject(Trained::Dense, s.path("source"));
    EXPECT_BAD_INPUT(runCli(q({"new-run", dir, "--init-from", source + ":1", "--head", "keep"})),
                     "--head keep needs the source's classes");
    EXPECT_BAD_INPUT(runCli(q({"new-run", dir, "--init-from", source + ":9"})), "no run 9");
    EXPECT_BAD_INPUT(runCli(q({"new-run", dir, "--init-from", source})), "give PROJECT:RUN");
    QVERIFY(Project::open(dir).store().runs().all().empty());
    // The source checkpoint changes after the run is made: training refuses, naming it.
    CLI_OK(runCli(q({"new-run", dir, "--init-from", source + ":1"})));
    const TransferSource from = resolveInitFrom(source, 1, "reset");
    std::ofstream(from.from.checkpoint, std::ios::app) << "x";
    EXPECT_BAD_INPUT(runCli(q({"train", dir, "--run", "1", "--epochs", "1"})), "changed since");
  }
};

QTEST_GUILESS_MAIN(TestRunTransfer)
#include "tst_run_transfer.moc"
