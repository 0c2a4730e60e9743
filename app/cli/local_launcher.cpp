#include "app/cli/local_launcher.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>

#include "app/cli/commands.h"
#include "core/distributed/loopback_port.h"

namespace sn::cli {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void execRank(const std::vector<std::string>& args, int rank, int ranks, int port) {
  setpgid(0, 0);
  // A launcher killed outright still stops its ranks, after their step with a checkpoint.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  setenv("RANK", std::to_string(rank).c_str(), 1);
  setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
  setenv("WORLD_SIZE", std::to_string(ranks).c_str(), 1);
  setenv("LOCAL_WORLD_SIZE", std::to_string(ranks).c_str(), 1);
  setenv("MASTER_ADDR", "127.0.0.1", 1);
  setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
  std::vector<char*> argv;
  std::string self = "supernet-cli";
  argv.push_back(self.data());
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  std::perror("supernet-cli: --nproc: cannot start a rank");
  _exit(127);
}

void onTerminate(int) { gStopRequested.store(true); }

int exitCodeOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int launchLocalRanks(const std::vector<std::string>& verbAndArgs, int ranks,
                     std::chrono::seconds grace) {
  const int port = freeLoopbackPort();
  std::signal(SIGTERM, onTerminate);
  std::map<pid_t, int> running;  // pid -> rank
  for (int r = 0; r < ranks; ++r) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("--nproc: fork failed");
    if (pid == 0) execRank(verbAndArgs, r, ranks, port);
    running[pid] = r;
  }
  std::fprintf(stderr, "started %d ranks on 127.0.0.1:%d\n", ranks, port);
  bool forwarded = false;
  int firstFailure = 0;
  std::optional<Clock::time_point> deadline;
  while (!running.empty()) {
    if (gStopRequested.load() && !forwarded) {
      for (const auto& [pid, rank] : running) kill(pid, SIGINT);
      forwarded = true;
    }
    if (deadline && Clock::now() > *deadline) {
      for (const auto& [pid, rank] : running) {
        std::fprintf(stderr,
                     "supernet-cli: rank %d did not stop %llds after a rank failed; killed\n", rank,
                     static_cast<long long>(grace.count()));
        kill(pid, SIGKILL);
      }
      deadline.reset();
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const int code = exitCodeOf(status);
    if (code != 0) {
      std::fprintf(stderr, "supernet-cli: rank %d exited with status %d\n", it->second, code);
      // Rank 0's status wins: it is the rank that says what went wrong (2: bad input).
      if (firstFailure == 0 || it->second == 0) firstFailure = code;
      if (!deadline) deadline = Clock::now() + grace;
    }
    running.erase(it);
  }
  return firstFailure;
}

}  // namespace sn::cli
