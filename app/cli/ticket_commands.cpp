// Verbs of SuperTickets pruning: ticket-report (tickets against dense-then-prune) and
// retrain-ticket.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/project/project.h"
#include "core/project/ticket_evaluation.h"
#include "core/project/ticket_report.h"

namespace sn::cli {
namespace {

void printReport(const std::vector<TicketReportRow>& rows) {
  std::printf("%-8s %6s  %-20s %4s %9s %11s %12s %9s %9s\n", "subnet", "target", "method", "run", "sparsity",
              "dense MMAC", "sparse MMAC", "accuracy", "wall s");
  for (const TicketReportRow& r : rows) {
    char accuracy[32] = "-";
    if (r.accuracy) std::snprintf(accuracy, sizeof accuracy, "%.2f%%", 100 * *r.accuracy);
    std::printf("%-8s %5.0f%%  %-20s %4lld %8.1f%% %11.3f %12.3f %9s %9.0f\n", r.subnet.c_str(), r.target * 100,
                r.method.c_str(), static_cast<long long>(r.runId), r.sparsity * 100, r.denseMacs / 1e6,
                r.sparseMacs / 1e6, accuracy, r.wallSeconds);
  }
}

}  // namespace

int runTicketReport(const std::vector<std::string>& args) {
  ArgParser a(args, {"--dense", "--runs", "--finetune", "--device", "--threads"}, {"--no-compute", "--csv", "--json"});
  TicketReportRequest r;
  if (a.has("--dense")) r.denseRun = parseRunId(a.requiredValue("--dense"));
  if (a.has("--runs")) r.ticketRuns = runIdList(a.requiredValue("--runs"));
  r.fineTuneEpochs = a.intOr("--finetune", 1, 0);
  r.computeMissing = !a.has("--no-compute");
  r.device = a.valueOr("--device", "cpu");
  r.threads = a.intOr("--threads", 0, 1);
  r.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (ticket-report DIR)"));
  const std::vector<TicketReportRow> rows = ticketReport(project, r);
  const CsvTable table = ticketReportTable(rows);
  if (a.has("--csv")) {
    std::fputs(table.toText().c_str(), stdout);
  } else if (a.has("--json")) {
    std::printf("%s\n", nlohmann::json({{"header", table.header}, {"rows", table.rows}}).dump(2).c_str());
  } else {
    printReport(rows);
  }
  return 0;
}

int runRetrainTicket(const std::vector<std::string>& args) {
  ArgParser a(args, {"--arch", "--run", "--epochs", "--lr", "--device", "--threads"}, {"--json"});
  TicketRequest r;
  r.arch = a.requiredValue("--arch");
  if (a.has("--run")) r.runId = parseRunId(a.requiredValue("--run"));
  r.fineTuneEpochs = a.intOr("--epochs", 1, 1);
  if (const auto lr = a.positiveDouble("--lr")) r.fineTuneLr = *lr;
  r.device = a.valueOr("--device", "cpu");
  r.threads = a.intOr("--threads", 0, 1);
  r.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (retrain-ticket DIR --arch A)"));
  const std::vector<SubnetRecord> rows = evaluateTicket(project, r);
  if (a.has("--json")) {
    printJson(rows);
    return 0;
  }
  for (const SubnetRecord& s : rows) {
    std::printf(
        "subnet %lld (%s) run %lld: %.2f%% top-1 at %.1f%% sparsity, %.3f M MACs dense, %.3f M "
        "sparse, %.0f s\n",
        static_cast<long long>(s.id), subnetSourceName(s.source), static_cast<long long>(s.runId),
        100 * s.accuracy.value_or(0), s.sparsity * 100, s.macs / 1e6, s.sparseMacs / 1e6,
        s.workSeconds);
  }
  return 0;
}

}  // namespace sn::cli
