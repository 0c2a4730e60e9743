#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "core/search/subnet_skyline.h"

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
// subnet_commands.cpp
int runLatencyTable(const std::vector<std::string>& args);
int runSearch(const std::vector<std::string>& args);
int runPareto(const std::vector<std::string>& args);
// export_command.cpp
int runExport(const std::vector<std::string>& args);

// run_commands.cpp
int runNewRun(const std::vector<std::string>& args);
int runTagRun(const std::vector<std::string>& args);
int runDeleteRun(const std::vector<std::string>& args);
int runImportRuns(const std::vector<std::string>& args);
int runCompare(const std::vector<std::string>& args);

class ArgParser;
// --max-macs M (millions), --max-params P (millions), --max-latency L (ms); unset: no limit.
CostLimits limitsFromArgs(const ArgParser& a);

std::string usage();

}  // namespace sn::cli
