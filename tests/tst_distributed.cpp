// Data-parallel training on c10d (Gloo, 127.0.0.1): the pieces on their own (launch
// environment, gradient buckets, synchronised batch norm, replica digests), then real ranks
// of supernet-cli: two ranks against one process with the same global batch, a rank killed
// or frozen, and a resume with another number of ranks.
#include <torch/torch.h>

#include <QProcess>
#include <QtTest>
#include <csignal>
#include <map>
#include <set>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "cli_support.h"
#include "core/distributed/gradient_all_reducer.h"
#include "core/distributed/launch_env.h"
#include "core/distributed/loopback_port.h"
#include "core/distributed/replica_check.h"
#include "core/distributed/sync_batch_norm.h"
#include "core/distributed/training_group.h"
#include "core/project/project.h"
#include "core/supernet/dynamic_batch_norm.h"
#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "core/train/train_recipe.h"
#include "core/util/input_error.h"
#include "db/store.h"
#include "test_support.h"

using namespace sn;

namespace {

// One real rank in a world of `world`: the other ranks are simulated as holding `other`
// (added once per other rank), so the arithmetic around each collective is checked exactly.
class SimulatedGroup : public TrainingGroup {
 public:
  SimulatedGroup(int world, double other) : world_(world), other_(other) {}
  int rank() const override { return 0; }
  int worldSize() const override { return world_; }
  std::string backend() const override { return "simulated"; }
  void allReduceSum(at::Tensor& t) override {
    sizes.push_back(t.numel());
    t.add_(other_ * (world_ - 1));
  }
  void broadcast(at::Tensor&, int) override {}
  void beginStep(int64_t) override {}
  void publish(const std::string&, const std::string&) override {}
  std::string awaitValue(const std::string&) override { return {}; }
  std::vector<int64_t> sizes;  // the element count of each collective, in order

 private:
  int world_;
  double other_;
};

using Env = std::map<std::string, std::string>;

std::optional<LaunchEnv> launchFrom(const Env& env, const std::string& addr = "") {
  return LaunchEnv::fromEnvironment(
      [&env](const char* name) -> const char* {
        const auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
      },
      addr);
}

template <class F>
std::string inputErrorOf(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A project sized for exactness, not learning: 512 images, 8 global steps an epoch. No
// augmentation and no dropout: their random streams are per rank, so they would differ
// from one process's by design.
void makeProject(const std::string& dir, int batch, double lr, int epochs, bool syncBn) {
  Project project = Project::create(dir, "fmnist-tiny");
  ProjectConfig config = project.config();
  config.dataset.trainLimit = 512;
  config.dataset.testLimit = 200;
  config.space.head.dropout = 0.0;
  config.recipe.batchSize = batch;
  config.recipe.lr = lr;
  config.recipe.epochs = epochs;
  config.recipe.augment = {0, false};
  config.recipe.logEvery = 1;
  config.recipe.subnetsPerStep = 1;
  config.recipe.recalBatches = 2;
  config.recipe.evalBatchSize = 100;
  config.recipe.probeSubnets = 2;
  config.recipe.distributed.syncBatchNorm = syncBn;
  project.saveConfig(config);
}

// The supernet weights of a run's latest checkpoint.
Supernet weightsOf(const std::string& dir) {
  Project project = Project::open(dir);
  const auto checkpoint = project.store().checkpoints().latest(1);
  if (!checkpoint) throw std::runtime_error(dir + ": no checkpoint");
  Supernet net(project.config().space, NetShape{1, 28, 10});
  loadCheckpoint(project.checkpointPath(checkpoint->path), *net, nullptr);
  return net;
}

std::vector<MetricSample> metricsOf(const std::string& dir, const std::string& key) {
  Project project = Project::open(dir);
  return project.store().metrics().series(1, key);
}

QProcess* startRank(const std::string& dir, int rank, int port, const QStringList& extra,
                    QObject* parent, const std::map<QString, QString>& moreEnv = {}) {
  auto* p = new QProcess(parent);
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const auto& [key, value] : moreEnv) env.insert(key, value);
  env.insert("RANK", QString::number(rank));
  env.insert("WORLD_SIZE", "2");
  env.insert("MASTER_ADDR", "127.0.0.1");
  env.insert("MASTER_PORT", QString::number(port));
  p->setProcessEnvironment(env);
  p->start(SN_CLI_PATH,
           QStringList{"train", QString::fromStdString(dir), "--threads", "1"} + extra);
  return p;
}

// Waits until rank 0 has written a metric row past `step` (read-only, as the GUI reads).
bool waitForStepPast(const std::string& dir, int64_t step, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < timeoutMs) {
    try {
      Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
      const auto rows = store.metrics().series(1, "loss/largest");
      if (!rows.empty() && rows.back().step > step) return true;
    } catch (const std::exception&) {
      // not created yet
    }
    QThread::msleep(100);
  }
  return false;
}

bool waitForCheckpoint(const std::string& dir, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < timeoutMs) {
    if (!QDir(QString::fromStdString(dir + "/checkpoints")).entryList({"*.pt"}).isEmpty())
      return true;
    QThread::msleep(100);
  }
  return false;
}

struct SurvivorEnd {
  int code = -1;
  std::string err;
};

// Starts two ranks of `dir` (torchrun's variables set by hand), sends rank `victim` `signal`
// in the middle of the second epoch (8 steps each), and returns how the other rank ended.
SurvivorEnd signalRank(const std::string& dir, int victim, int signal, int timeoutSeconds,
                       QObject* parent) {
  const int port = freeLoopbackPort();
  const QStringList extra = {"--dist-timeout", QString::number(timeoutSeconds)};
  QProcess* ranks[2] = {startRank(dir, 0, port, extra, parent),
                        startRank(dir, 1, port, extra, parent)};
  QProcess* signalled = ranks[victim];
  QProcess* survivor = ranks[1 - victim];
  SurvivorEnd end;
  if (waitForStepPast(dir, 11, 60000)) {
    ::kill(static_cast<pid_t>(signalled->processId()), signal);
    if (survivor->waitForFinished(60000)) end.code = survivor->exitCode();
  }
  ::kill(static_cast<pid_t>(signalled->processId()), SIGKILL);
  signalled->waitForFinished(5000);
  survivor->kill();
  survivor->waitForFinished(5000);
  end.err = survivor->readAllStandardError().toStdString();
  return end;
}

}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void launchEnvironmentOfTorchrunAndSlurm() {
    const auto torchrun = launchFrom({{"RANK", "1"},
                                      {"WORLD_SIZE", "4"},
                                      {"LOCAL_RANK", "1"},
                                      {"LOCAL_WORLD_SIZE", "2"},
                                      {"MASTER_ADDR", "node0"},
                                      {"MASTER_PORT", "29411"}});
    QVERIFY(torchrun);
    QCOMPARE(torchrun->rank, 1);
    QCOMPARE(torchrun->worldSize, 4);
    QCOMPARE(torchrun->localWorldSize, 2);
    QCOMPARE(torchrun->masterAddr, std::string("node0"));
    QCOMPARE(torchrun->masterPort, 29411);
    QVERIFY(!torchrun->agentStore);  // a plain launcher: rank 0 hosts the store
    // torchrun's agent hosts it, per restart attempt, as PyTorch's env:// rendezvous reads it.
    const auto agent = launchFrom({{"RANK", "0"},
                                   {"WORLD_SIZE", "2"},
                                   {"MASTER_ADDR", "h"},
                                   {"MASTER_PORT", "29500"},
                                   {"TORCHELASTIC_USE_AGENT_STORE", "True"},
                                   {"TORCHELASTIC_RESTART_COUNT", "2"}});
    QVERIFY(agent && agent->agentStore);
    QCOMPARE(agent->storePrefix, std::string("/worker/attempt_2"));
    const Env slurm = {{"SLURM_PROCID", "3"},
                       {"SLURM_NTASKS", "8"},
                       {"SLURM_LOCALID", "1"},
                       {"SLURM_NTASKS_PER_NODE", "4(x2)"}};
    // Slurm's variables alone are a plain job step: no group without an address.
    QVERIFY(!launchFrom(slurm));
    const auto s = launchFrom(slurm, "node7");
    QVERIFY(s);
    QCOMPARE(s->rank, 3);
    QCOMPARE(s->worldSize, 8);
    QCOMPARE(s->localRank, 1);
    QCOMPARE(s->localWorldSize, 4);
    QCOMPARE(s->masterPort, 29500);
    QCOMPARE(s->launcher, std::string("slurm"));
    QVERIFY(!launchFrom({}));
    QVERIFY(!launchFrom({{"RANK", "0"}, {"WORLD_SIZE", "1"}}));  // a world of one trains alone
  }

  void badLaunchEnvironmentNamesTheVariable() {
    const Env good = {
        {"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}};
    auto with = [&](const std::string& key, const char* value) {
      Env e = good;
      if (value)
        e[key] = value;
      else
        e.erase(key);
      return inputErrorOf([&] { launchFrom(e); });
    };
    QVERIFY(with("RANK", "x").find("RANK='x'") != std::string::npos);
    QVERIFY(with("RANK", "2").find("not below the world size 2") != std::string::npos);
    QVERIFY(with("RANK", nullptr).find("RANK is not set") != std::string::npos);
    QVERIFY(with("MASTER_ADDR", nullptr).find("MASTER_ADDR is not set") != std::string::npos);
    QVERIFY(with("MASTER_PORT", "70000").find("MASTER_PORT='70000'") != std::string::npos);
  }

  void distributedRecipeRoundTripsAndIsValidated() {
    TrainRecipe r;
    QVERIFY(!r.toJson().contains("distributed"));  // single-process configs stay as they were
    r.distributed.worldSize = 2;
    r.distributed.syncBatchNorm = true;
    const TrainRecipe back = TrainRecipe::fromJson(r.toJson(), "test");
    QCOMPARE(back.distributed.worldSize, 2);
    QVERIFY(back.distributed.syncBatchNorm);
    QCOMPARE(back.distributed.lrFactor(), 2.0);
    nlohmann::json j = r.toJson();
    j["distributed"]["lr_scaling"] = "sqrt";
    QVERIFY(inputErrorOf([&] { TrainRecipe::fromJson(j, "cfg"); }).find("lr_scaling") !=
            std::string::npos);
  }

  // Buckets of about 1 KB: several collectives, each averaging its gradients, with the control
  // values summed in the last; parameters without a gradient take no part.
  void gradientsAverageInBucketsWithControlInTheLast() {
    std::vector<at::Tensor> params;
    for (int64_t n : {100, 300, 50, 400, 7})
      params.push_back(torch::zeros({n}, torch::requires_grad()));
    for (size_t i = 0; i < params.size(); ++i) {
      if (i == 2) continue;  // unused this step
      params[i].mutable_grad() = torch::full({params[i].numel()}, static_cast<float>(i + 1));
    }
    SimulatedGroup group(4, 5.0);  // three other ranks whose every gradient is 5
    GradientAllReducer reducer(group, 1024);
    at::Tensor control = torch::tensor({1.0f, 0.0f});
    const AllReduceStats stats = reducer.reduce(params, control);
    // A bucket closes before the gradient that would take it past 1024 bytes; the 7 unused
    // floats' parameter is skipped and the control rides with the last gradient.
    QCOMPARE(group.sizes, (std::vector<int64_t>{100, 300, 400, 7 + 2}));
    QCOMPARE(stats.buckets, 4);
    QCOMPARE(stats.bytes, static_cast<int64_t>((100 + 300 + 400 + 9) * 4));
    for (size_t i = 0; i < params.size(); ++i) {
      if (i == 2) {
        QVERIFY(!params[i].grad().defined());
        continue;
      }
      const float expected = (static_cast<float>(i + 1) + 3 * 5.0f) / 4;
      QCOMPARE(params[i].grad().min().item<float>(), expected);
      QCOMPARE(params[i].grad().max().item<float>(), expected);
    }
    QCOMPARE(control[0].item<float>(), 1.0f + 15.0f);  // summed, not averaged
  }

  // With one rank the synchronised statistics are the local ones: forward, gradients and
  // running statistics must equal torch's own batch norm.
  void syncBatchNormEqualsBatchNormOnOneRank() {
    torch::manual_seed(3);
    const at::Tensor x = torch::randn({6, 4, 5, 5}) * 3 + 1;
    SimulatedGroup one(1, 0.0);
    DynamicBatchNorm2d a(4), b(4);
    a->train();
    b->train();
    b->sync = &one;
    const at::Tensor xa = x.clone().requires_grad_(), xb = x.clone().requires_grad_();
    const at::Tensor ya = a->forward(xa), yb = b->forward(xb);
    QVERIFY(torch::allclose(ya, yb, 1e-5, 1e-5));
    const at::Tensor g = torch::randn_like(ya);
    (ya * g).sum().backward();
    (yb * g).sum().backward();
    QVERIFY(torch::allclose(xa.grad(), xb.grad(), 1e-4, 1e-5));
    QVERIFY(torch::allclose(a->weight.grad(), b->weight.grad(), 1e-4, 1e-5));
    QVERIFY(torch::allclose(a->running_mean, b->running_mean, 1e-5, 1e-6));
    QVERIFY(torch::allclose(a->running_var, b->running_var, 1e-5, 1e-6));
    QVERIFY(one.sizes.size() == 2);  // one collective forward, one backward
  }

  void replicaDigestSeesOneBit() {
    torch::manual_seed(1);
    DynamicBatchNorm2d bn(8);
    const uint64_t before = replicaDigest(*bn, true);
    const uint64_t paramsOnly = replicaDigest(*bn, false);
    QCOMPARE(replicaDigest(*bn, true), before);
    torch::NoGradGuard noGrad;
    auto* bits = static_cast<int32_t*>(bn->weight.data_ptr());
    bits[3] ^= 1;  // the last bit of one float
    QVERIFY(replicaDigest(*bn, true) != before);
    bits[3] ^= 1;
    bn->running_var[0] = 2;  // a buffer: seen only with buffers
    QCOMPARE(replicaDigest(*bn, false), paramsOnly);
    QVERIFY(replicaDigest(*bn, true) != before);
  }

  // Two ranks x batch 32 with synchronised BN against one process x batch 64 at the same
  // (scaled) LR: the same images, subnets and updates, up to float summation order.
  //
  // Rounding differences grow fast in early training: at the template's LR (0.1) one process
  // on 1 thread and on 2 threads already differs by 5e-2 after these 8 steps, so exactness is
  // checked at LR 0.005, where they differ by 1e-7. Measured there: 2 ranks 1.8e-5 from one
  // process with synchronised BN, 2.3e-3 with per-rank BN; the bound sits between.
  void twoRanksMatchOneProcessWithTheGlobalBatch() {
    test::Scratch s;
    const std::string two = s.path("two"), one = s.path("one");
    makeProject(two, 32, 0.005, 1, true);
    makeProject(one, 64, 0.01, 1, false);  // lr_scaling linear: 2 ranks train at 0.005 x 2
    const test::CliResult r2 =
        test::runCli(test::q({"train", two, "--nproc", "2", "--threads", "1", "--check-replicas"}));
    CLI_OK(r2);
    CLI_OK(test::runCli(test::q({"train", one, "--threads", "1"})));
    // Bitwise-identical replicas after each of the 8 steps (a digest compared per step).
    QVERIFY2(r2.out.find("parameters identical on all 2 ranks after each of 8 steps") !=
                 std::string::npos,
             r2.out.c_str());

    Supernet a = weightsOf(two), b = weightsOf(one);
    const auto pb = b->named_parameters();
    double worst = 0;
    for (const auto& item : a->named_parameters()) {
      worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
    }
    qInfo("largest parameter difference after 8 steps: %.3g", worst);
    QVERIFY2(worst < 2e-4, std::to_string(worst).c_str());
    // The losses are global means: the first step's, before any update, agrees to rounding.
    const auto la = metricsOf(two, "loss/largest"), lb = metricsOf(one, "loss/largest");
    QCOMPARE(la.size(), lb.size());
    QVERIFY(std::abs(la[0].value - lb[0].value) < 1e-5);

    // Rank 0 alone wrote the rows: one per step and key, and the all-reduce's own.
    Project project = Project::open(two);
    for (const std::string& key : project.store().metrics().keys(1)) {
      std::set<int64_t> steps;
      for (const MetricSample& m : project.store().metrics().series(1, key)) {
        QVERIFY2(steps.insert(m.step).second, (key + " twice at one step").c_str());
      }
    }
    const auto bytes = metricsOf(two, "distributed/allreduce_bytes");
    QCOMPARE(bytes.size(), size_t{8});
    QVERIFY(bytes[0].value > 4 * 1000);  // the gradients of a supernet, not a few floats
    const auto run = project.store().runs().find(1);
    QVERIFY(nlohmann::json::parse(run->configJson)["recipe"]["distributed"]["world_size"] == 2);
  }

  // Rank 1 killed in the middle of the second epoch: rank 0 stops with a message naming it
  // and leaves the first epoch's checkpoint; the run then resumes as one process and
  // finishes, with the global batch it started with.
  void aKilledRankStopsTheOtherAndTheRunResumesAlone() {
    test::Scratch s;
    const std::string dir = s.path("p");
    makeProject(dir, 32, 0.1, 3, false);
    const SurvivorEnd end = signalRank(dir, 1, SIGKILL, 20, this);
    QVERIFY2(end.code > 0, end.err.c_str());
    QVERIFY2(end.err.find("rank 1 stopped responding") != std::string::npos, end.err.c_str());
    {
      Project project = Project::open(dir);
      const auto run = project.store().runs().find(1);
      QCOMPARE(run->status, RunStatus::Failed);
      QVERIFY(run->message.find("rank 1") != std::string::npos);
      QCOMPARE(project.store().checkpoints().latest(1)->step, int64_t{8});
    }
    const test::CliResult resumed = test::runCli(test::q({"resume", dir, "--threads", "2"}));
    CLI_OK(resumed);
    QVERIFY2(resumed.out.find("finished at step 24/24") != std::string::npos, resumed.out.c_str());
  }

  // Under torchrun its agent hosts the store at MASTER_PORT and the ranks are its clients
  // (TORCHELASTIC_USE_AGENT_STORE=True), under the restart attempt's prefix; the test plays
  // the agent. (Found with Debian's torchrun: a rank 0 hosting its own store could not bind.)
  void ranksUseTheLaunchersStoreUnderTorchrun() {
    test::Scratch s;
    const std::string dir = s.path("p");
    makeProject(dir, 32, 0.1, 1, false);
    const int port = freeLoopbackPort();
    c10d::TCPStoreOptions o;
    o.port = static_cast<uint16_t>(port);
    o.isServer = true;
    o.waitWorkers = false;
    c10d::TCPStore agent("127.0.0.1", o);
    const std::map<QString, QString> torchrun = {{"TORCHELASTIC_USE_AGENT_STORE", "True"},
                                                 {"TORCHELASTIC_RESTART_COUNT", "3"}};
    QProcess* rank0 = startRank(dir, 0, port, {}, this, torchrun);
    QProcess* rank1 = startRank(dir, 1, port, {}, this, torchrun);
    QVERIFY(rank0->waitForFinished(60000) && rank1->waitForFinished(60000));
    QVERIFY2(rank0->exitCode() == 0, rank0->readAllStandardError().constData());
    QVERIFY2(rank1->exitCode() == 0, rank1->readAllStandardError().constData());
    QVERIFY(rank0->readAllStandardOutput().contains("finished at step 8/8"));
    QVERIFY(agent.check({"/worker/attempt_3/supernet/value/run"}));
  }

  // Rank 0 killed: it hosted the store, so rank 1 says rank 0 is gone and exits non-zero.
  // The run stays as rank 0 left it, with its first epoch's checkpoint, and resumes.
  void aKilledRankZeroIsNamedByTheOthers() {
    test::Scratch s;
    const std::string dir = s.path("p");
    makeProject(dir, 32, 0.1, 3, false);
    const SurvivorEnd end = signalRank(dir, 0, SIGKILL, 20, this);
    QVERIFY2(end.code > 0, end.err.c_str());
    QVERIFY2(end.err.find("rank 0, which hosts the rendezvous store") != std::string::npos,
             end.err.c_str());
    Project project = Project::open(dir);
    QCOMPARE(project.store().checkpoints().latest(1)->step, int64_t{8});
  }

  // A frozen rank (SIGSTOP) is found by its silent heartbeat once the collective times out.
  void aFrozenRankIsNamedAfterTheTimeout() {
    test::Scratch s;
    const std::string dir = s.path("p");
    makeProject(dir, 32, 0.1, 3, false);
    const SurvivorEnd end = signalRank(dir, 1, SIGSTOP, 10, this);
    QVERIFY2(end.code > 0, end.err.c_str());
    QVERIFY2(end.err.find("rank 1 stopped responding") != std::string::npos, end.err.c_str());
    QVERIFY2(end.err.find("Timed out") != std::string::npos, end.err.c_str());
  }

  // Ctrl-C to --nproc's launcher reaches every rank once: they stop after the same step and
  // rank 0 checkpoints. The run (global batch 2 x 32) cannot resume on 3 ranks, 64 does not
  // split evenly: rank 0 says why and the others stop at once; on one rank it finishes.
  void aStoppedRunResumesOnOneRankButNotOnThree() {
    test::Scratch s;
    const std::string dir = s.path("p");
    makeProject(dir, 32, 0.1, 3, false);
    QProcess launcher;
    launcher.start(SN_CLI_PATH, test::q({"train", dir, "--nproc", "2", "--threads", "1"}));
    QVERIFY(waitForCheckpoint(dir, 60000));
    ::kill(static_cast<pid_t>(launcher.processId()), SIGINT);
    QVERIFY(launcher.waitForFinished(60000));
    const std::string out = launcher.readAllStandardOutput().toStdString();
    QVERIFY2(launcher.exitCode() == 0, launcher.readAllStandardError().constData());
    QVERIFY2(out.find("run 1 stopped at step") != std::string::npos, out.c_str());
    {
      Project project = Project::open(dir);
      QCOMPARE(project.store().runs().find(1)->status, RunStatus::Stopped);
      QVERIFY(project.store().checkpoints().latest(1)->step > 8);  // the stop's own checkpoint
    }
    const test::CliResult three = test::runCli(
        test::q({"resume", dir, "--nproc", "3", "--threads", "1", "--dist-timeout", "60"}), 120000);
    QVERIFY2(three.code == 2, three.err.c_str());
    QVERIFY2(three.err.find("global batch of 64") != std::string::npos, three.err.c_str());
    QVERIFY2(three.err.find("rank 0 could not start the run") != std::string::npos,
             three.err.c_str());
    const test::CliResult one = test::runCli(test::q({"resume", dir, "--threads", "2"}));
    CLI_OK(one);
    QVERIFY2(one.out.find("finished at step 24/24") != std::string::npos, one.out.c_str());
  }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
