// sweep-methods: one run per training method from the same recipe at equal budgets, trained
// one after the other (a second call resumes what is unfinished), then their fronts compared.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/console_sink.h"
#include "core/project/method_sweep.h"
#include "core/project/project.h"
#include "core/project/run_manager.h"
#include "core/util/input_error.h"

namespace sn::cli {
namespace {

void printReport(const SweepReport& r) {
  std::printf("%-22s %4s %6s %9s %8s %8s %11s %11s %7s", "method", "run", "epochs", "passes", "train_s", "img/s",
              "hypervolume", "final_hv", "tau");
  for (double limit : r.macLimits) std::printf("  best<=%.2fM", limit / 1e6);
  std::printf("\n");
  for (const MethodResult& m : r.methods) {
    std::printf("%-22s %4lld %6d %9.0f %8.0f %8.0f %11.2f %11.2f %7s", m.method.c_str(),
                static_cast<long long>(m.run.id), m.epochs, m.passes, m.trainingSeconds, m.imagesPerSecond,
                m.hypervolume, m.finalHypervolume, m.kendallTau ? csvNumber(*m.kendallTau).substr(0, 6).c_str() : "-");
    for (const auto& b : m.best) {
      if (b && b->accuracy) {
        std::printf("  %10.2f%%", 100 * *b->accuracy);
      } else {
        std::printf("  %11s", "none");
      }
    }
    std::printf("\n");
  }
  std::printf("hypervolume: M MACs x %% above the reference (%.3g M MACs, %.2f%%); passes: sandwich-equivalent\n",
              r.reference.cost, r.reference.accuracy);
  for (const MethodResult& m : r.methods) {
    if (!m.tauNote.empty()) std::printf("tau of %s: %s\n", m.method.c_str(), m.tauNote.c_str());
  }
}

}  // namespace

int runSweepMethods(const std::vector<std::string>& args) {
  ArgParser a(args, {"--from", "--methods", "--budget", "--minutes", "--probe", "--device", "--threads", "--table"},
              {"--json", "--csv", "--report-only"});
  const std::string dir = a.required(0, "project folder (sweep-methods DIR --methods a,b,c)");
  SweepOptions o;
  o.fromRun = a.has("--from") ? parseRunId(a.requiredValue("--from")) : 0;
  o.methods = parseTags(a.valueOr("--methods", ""));
  o.budget = a.valueOr("--budget", "passes");
  o.minutes = a.positiveDouble("--minutes").value_or(0);
  o.probeSubnets = a.intOr("--probe", o.probeSubnets, 2);
  o.device = a.valueOr("--device", "cpu");
  o.threads = a.intOr("--threads", 0, 1);
  const std::string table = a.valueOr("--table", "methods");
  if (table != "methods" && table != "history") throw InputError("--table '" + table + "': expected methods or history");
  ConsoleSink sink(stderr);
  o.stop = &gStopRequested;
  o.sink = &sink;
  o.say = [](const std::string& line) { std::fprintf(stderr, "sweep-methods: %s\n", line.c_str()); };
  Project project = Project::open(dir);
  MethodSweep sweep(project, o);
  const std::vector<SweepRun> runs = sweep.prepare();
  if (!a.has("--report-only") && !sweep.train(runs)) {
    std::fprintf(stderr, "sweep-methods: stopped; run the same command again to go on\n");
    return 1;
  }
  const SweepReport report = sweep.report(runs);
  if (a.has("--json")) {
    std::printf("%s\n", toJson(report).dump(2).c_str());
  } else if (a.has("--csv")) {
    std::fputs((table == "history" ? sweepHistoryTable(report) : sweepTable(report)).toText().c_str(), stdout);
  } else {
    printReport(report);
  }
  return 0;
}

}  // namespace sn::cli
