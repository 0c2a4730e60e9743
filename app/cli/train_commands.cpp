// train and resume: one process, or one rank of a data-parallel run (torchrun, srun, --nproc).
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/console_sink.h"
#include "app/cli/local_launcher.h"
#include "core/distributed/c10d_training_group.h"
#include "core/project/project.h"
#include "core/project/training_session.h"
#include "core/train/device.h"
#include "core/util/input_error.h"

namespace sn::cli {
namespace {

const std::vector<std::string> kDistributedFlags = {"--nproc", "--dist-timeout", "--master-addr",
                                                    "--master-port"};

void printResult(const SessionResult& r) {
  std::printf("run %lld %s at step %lld/%lld after %s\n", static_cast<long long>(r.runId),
              runStatusName(r.status), static_cast<long long>(r.step),
              static_cast<long long>(r.totalSteps), formatDuration(r.seconds).c_str());
  if (r.largestAccuracy >= 0) {
    std::printf("test accuracy: largest subnet %.2f%%, smallest subnet %.2f%%\n",
                100 * r.largestAccuracy, 100 * r.smallestAccuracy);
  }
  if (r.replicaChecks > 0) {
    std::printf("replicas: parameters identical on all %d ranks after each of %lld steps\n",
                r.worldSize, static_cast<long long>(r.replicaChecks));
  }
  if (r.status == RunStatus::Stopped) std::printf("resume with: supernet-cli resume DIR\n");
}

std::vector<std::string> withFlags(std::vector<std::string> flags) {
  flags.insert(flags.end(), kDistributedFlags.begin(), kDistributedFlags.end());
  return flags;
}

// The arguments again without --nproc N: what each local rank runs.
std::vector<std::string> withoutNproc(const std::string& verb,
                                      const std::vector<std::string>& args) {
  std::vector<std::string> out = {verb};
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--nproc") {
      ++i;
      continue;
    }
    out.push_back(args[i]);
  }
  return out;
}

// This process's part of a data-parallel run, when a launcher said so; null otherwise.
struct Rank {
  std::unique_ptr<C10dTrainingGroup> group;
};

Rank joinIfLaunched(const ArgParser& a, SessionOptions& options) {
  const auto env = LaunchEnv::fromProcessEnvironment(a.valueOr("--master-addr", ""),
                                                     a.intOr("--master-port", 0, 1));
  if (!env) return {};
  if (options.device.rfind("cuda", 0) == 0)
    options.device = "cuda:" + std::to_string(env->localRank);
  // The cores are shared by this machine's ranks.
  if (options.threads == 0) {
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    options.threads = std::max(1, cores / env->localWorldSize);
  }
  const std::chrono::seconds timeout(a.intOr("--dist-timeout", 120, 1));
  Rank r;
  r.group = std::make_unique<C10dTrainingGroup>(*env, parseDevice(options.device), timeout);
  options.group = r.group.get();
  if (!r.group->primary()) options.sink = nullptr;  // rank 0 reports for everyone
  std::fprintf(stderr, "rank %d of %d joined (%s, %s via %s:%d)\n", env->rank, env->worldSize,
               r.group->backend().c_str(), env->launcher.c_str(), env->masterAddr.c_str(),
               env->masterPort);
  return r;
}

using Verb = SessionResult (*)(TrainingSession&, const ArgParser&);

int trainOrResume(const std::string& verb, const std::vector<std::string>& args,
                  const std::vector<std::string>& flags, Verb body) {
  ArgParser a(args, withFlags(flags), {"--check-replicas"});
  ConsoleSink sink(stderr);
  SessionOptions options;
  options.epochs = a.intOr("--epochs", 0, 1);
  options.device = a.valueOr("--device", "cpu");
  options.threads = a.intOr("--threads", 0, 1);
  options.runName = a.valueOr("--name", "");
  options.stop = &gStopRequested;
  options.sink = &sink;
  options.checkReplicas = a.has("--check-replicas");
  if (verb == "train") options.runId = a.intOr("--run", 0, 1);
  const std::string dir = a.required(0, "project folder (" + verb + " DIR)");
  if (const int ranks = a.intOr("--nproc", 1, 1); ranks > 1) {
    if (LaunchEnv::fromProcessEnvironment()) {
      throw InputError("--nproc: this process is already a rank of a launched group");
    }
    return launchLocalRanks(withoutNproc(verb, args), ranks,
                            std::chrono::seconds(a.intOr("--dist-timeout", 120, 1) + 15));
  }
  const Rank rank = joinIfLaunched(a, options);
  const bool follower = rank.group && !rank.group->primary();
  // A follower opens the project once rank 0 has it (and has migrated an older schema), on a
  // read-only connection: it must never write there. What rank 0 announced is read again by
  // TrainingSession.
  if (follower) rank.group->awaitValue("run");
  Project project = follower ? Project::openReadOnly(dir) : Project::open(dir);
  TrainingSession session(project, options);
  const SessionResult r = body(session, a);
  if (!rank.group || rank.group->primary()) printResult(r);
  return 0;
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
  return trainOrResume("train", args, {"--epochs", "--device", "--threads", "--name", "--run"},
                       [](TrainingSession& session, const ArgParser&) { return session.start(); });
}

int runResume(const std::vector<std::string>& args) {
  return trainOrResume("resume", args, {"--run", "--device", "--threads"},
                       [](TrainingSession& session, const ArgParser& a) {
                         return session.resume(a.intOr("--run", 0, 1));
                       });
}

}  // namespace sn::cli
