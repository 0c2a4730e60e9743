// supernet-cli: the headless front end. Dispatches a verb, maps errors to exit codes:
// 0 ok, 1 failure, 2 bad input (one message naming the file or value and the problem).
#include <time.h>

#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <c10/util/Exception.h>

#include "app/cli/commands.h"
#include "core/util/allocator_tuning.h"
#include "core/util/build_info.h"
#include "core/util/input_error.h"

namespace {

double secondsNow() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe, unlike std::chrono
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

volatile double gFirstStopSignal = 0;

void onInterrupt(int signal) {
  // Ctrl-C or SIGTERM (a logout, scancel, torchrun passing on a Ctrl-C): stop after the step
  // and checkpoint. A second signal kills as usual, unless it comes within 2 s of the first:
  // under a launcher the terminal's Ctrl-C reaches a rank twice, from the terminal and
  // passed on by torchrun or srun.
  if (!sn::cli::gStopRequested.exchange(true)) {
    gFirstStopSignal = secondsNow();
  } else if (secondsNow() - gFirstStopSignal > 2.0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

// "supernet-cli" or, in a data-parallel run, "supernet-cli [rank 1]": whose message it is.
std::string who() {
  const char* rank = std::getenv("RANK");
  const char* world = std::getenv("WORLD_SIZE");
  if (!rank || !world || std::atoi(world) < 2) return "supernet-cli";
  return std::string("supernet-cli [rank ") + rank + "]";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sn::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--version" || args[0] == "version")) {
    std::printf("supernet-cli (Supernet Studio) %s\n%s\n", sn::toolVersion(), sn::libraryVersions().c_str());
    return 0;
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(usage().c_str(), args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::map<std::string, int (*)(const std::vector<std::string>&)> verbs = {
      {"init", runInit},           {"train", runTrain},   {"resume", runResume},
      {"evaluate", runEval},       {"eval", runEval},     {"runs", runRuns},
      {"macs", runMacs},           {"bench-train", runBenchTrain},
      {"selftest", runSelftest},  {"bench-kernels", runBenchKernels},
      {"latency-table", runLatencyTable}, {"search", runSearch}, {"predictor", runPredictor}, {"pareto", runPareto},
      {"export", runExport},       {"new-run", runNewRun}, {"tag-run", runTagRun},
      {"delete-run", runDeleteRun}, {"import-runs", runImportRuns},
      {"import-images", runImportImages}, {"compare", runCompare},
      {"sweep-methods", runSweepMethods},
      {"import-ofa", runImportOfa}, {"export-ofa", runExportOfa},
      {"ticket-report", runTicketReport}, {"retrain-ticket", runRetrainTicket}};
  const auto verb = verbs.find(args[0]);
  if (verb == verbs.end()) {
    std::fprintf(stderr, "supernet-cli: unknown verb '%s' (see --help)\n", args[0].c_str());
    return 2;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
  }
  sn::keepFreedMemoryForReuse();
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  try {
    return verb->second(rest);
  } catch (const sn::InputError& e) {  // Project turns store errors (newer schema) into these
    std::fprintf(stderr, "%s: %s\n", who().c_str(), e.what());
    return 2;
  } catch (const c10::Error& e) {
    std::fprintf(stderr, "%s: %s\n", who().c_str(), e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", who().c_str(), e.what());
    return 1;
  }
}
