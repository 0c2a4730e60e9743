#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/search/subnet_skyline.h"
#include "core/util/job_control.h"
#include "db/records.h"

namespace sn::cli {

// Set by Ctrl-C: long verbs stop after the current step and leave a resumable checkpoint.
extern std::atomic<bool> gStopRequested;

// Each verb takes the arguments after its name and returns the process exit code.
// Bad input throws InputError (exit 2); other failures throw (exit 1).
int runInit(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runResume(const std::vector<std::string>& args);
int runEval(const std::vector<std::string>& args);
int runRuns(const std::vector<std::string>& args);
int runMacs(const std::vector<std::string>& args);
int runBenchTrain(const std::vector<std::string>& args);
int runSelftest(const std::vector<std::string>& args);
int runBenchKernels(const std::vector<std::string>& args);
// subnet_commands.cpp
int runLatencyTable(const std::vector<std::string>& args);
int runSearch(const std::vector<std::string>& args);
int runPredictor(const std::vector<std::string>& args);
int runPareto(const std::vector<std::string>& args);
// export_command.cpp
int runExport(const std::vector<std::string>& args);

// data_commands.cpp
int runImportImages(const std::vector<std::string>& args);
int runImportOfa(const std::vector<std::string>& args);
int runExportOfa(const std::vector<std::string>& args);

// run_commands.cpp
int runNewRun(const std::vector<std::string>& args);
int runTagRun(const std::vector<std::string>& args);
int runDeleteRun(const std::vector<std::string>& args);
int runImportRuns(const std::vector<std::string>& args);
int runCompare(const std::vector<std::string>& args);
// sweep_command.cpp
int runSweepMethods(const std::vector<std::string>& args);

// A run id argument; InputError naming the text otherwise. "1, 2,3": a list of them.
int64_t parseRunId(const std::string& text);
std::vector<int64_t> runIdList(const std::string& text);
class ArgParser;
int64_t runIdArg(const ArgParser& a, size_t n, const std::string& what);

// ticket_commands.cpp
int runTicketReport(const std::vector<std::string>& args);
int runRetrainTicket(const std::vector<std::string>& args);

// The CLI's one adapter of core's JobControl: Ctrl-C (gStopRequested) cancels; progress goes
// to stderr, a stage's name when it starts and its count every 10 % and at its end.
JobControl cliJob();

class ArgParser;
// --max-macs M (millions), --max-params P (millions), --max-latency L (ms); unset: no limit.
CostLimits limitsFromArgs(const ArgParser& a);

// Stored subnets as a JSON array, in the one shape every command prints (evaluate, search,
// pareto, retrain-ticket): id, run, epoch, arch, hash, macs, params, sparse_macs, sparsity,
// accuracy, latency_ms, latency_device, source, work_seconds (null where not known).
void printJson(const std::vector<SubnetRecord>& subnets);

std::string usage();

}  // namespace sn::cli
