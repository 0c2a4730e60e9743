#include "trained_fixture.h"

#include <QtGlobal>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include "cli_support.h"
#include "core/project/project.h"

namespace fs = std::filesystem;

namespace sn::test {
namespace {

// Written last: a fixture folder without it was interrupted and is trained again.
constexpr const char* kComplete = ".fixture-complete";

std::string nameOf(Trained kind) { return kind == Trained::Dense ? "dense" : "tickets"; }

std::string fixtureDir(Trained kind) { return std::string(SN_BUILD_DIR) + "/test-fixtures/" + nameOf(kind); }

void cli(const QStringList& args) {
  const CliResult r = runCli(args, 600000);
  if (r.code != 0) {
    throw std::runtime_error("supernet-cli " + args.join(' ').toStdString() + " failed (" +
                             std::to_string(r.code) + "): " + r.err);
  }
}

// Small enough to train in seconds, large enough to learn: 32 steps an epoch, a metric row
// every 4 steps, one random subnet per sandwich step.
void trainDense(const std::string& dir) {
  cli(q({"init", dir, "--template", "fmnist-tiny", "--train-limit", "2048", "--test-limit", "500",
         "--epochs", "2"}));
  {
    Project project = Project::open(dir);
    ProjectConfig config = project.config();
    config.recipe.batchSize = 64;
    config.recipe.subnetsPerStep = 1;
    config.recipe.logEvery = 4;
    config.recipe.recalBatches = 4;
    project.saveConfig(config);
  }
  cli(q({"train", dir, "--threads", "2", "--name", "dense"}));
}

// Run 1 is the dense fixture's, copied.
void trainTickets(const std::string& dir) {
  copyOfTrainedProject(Trained::Dense, dir);
  // Half the training images: three epochs in the time of the dense run's two.
  cli(q({"new-run", dir, "--from", "1", "--name", "tickets", "--set", "recipe.epochs=3", "--set",
         "dataset.train_limit=1024", "--set",
         R"(recipe.pruning={"start_epoch":1,"interval":1,"step":0.25,"target":0.5})"}));
  cli(q({"train", dir, "--run", "2", "--threads", "2"}));
}

bool fresh(const std::string& dir) {
  const fs::path marker = fs::path(dir) / kComplete;
  std::error_code ec;
  return fs::exists(marker, ec) && fs::last_write_time(marker, ec) >= fs::last_write_time(SN_CLI_PATH, ec);
}

// Trained in a private folder and renamed into place, so a test never sees half a fixture
// (and two test processes building the same one at once both end with a whole one).
std::string build(Trained kind) {
  const std::string dir = fixtureDir(kind);
  const std::string staging = dir + ".building-" + std::to_string(::getpid());
  fs::remove_all(staging);
  fs::create_directories(fs::path(dir).parent_path());
  if (kind == Trained::Dense) trainDense(staging);
  else trainTickets(staging);
  std::ofstream(fs::path(staging) / kComplete) << "trained by tests/trained_fixture.cpp\n";
  std::error_code ec;
  fs::rename(staging, dir, ec);
  if (ec) fs::remove_all(staging);  // another process put its fixture there first
  return dir;
}

}  // namespace

std::string trainedProject(Trained kind) {
  const std::string dir = fixtureDir(kind);
  if (fresh(dir)) return dir;
  fs::remove_all(dir);
  qInfo("training the %s fixture project (ctest's tst_fixture_projects does this once)",
        nameOf(kind).c_str());
  return build(kind);
}

std::string copyOfTrainedProject(Trained kind, const std::string& dir) {
  fs::copy(trainedProject(kind), dir, fs::copy_options::recursive);
  fs::remove(fs::path(dir) / kComplete);
  return dir;
}

std::string rebuildTrainedProject(Trained kind) {
  fs::remove_all(fixtureDir(kind));
  return build(kind);
}

}  // namespace sn::test
