#include "core/project/ticket_report.h"

#include <algorithm>
#include <cmath>

#include "core/project/project.h"
#include "core/project/project_config.h"
#include "core/project/ticket_evaluation.h"
#include "core/space/arch.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

struct ReportRun {
  RunRecord run;
  ProjectConfig config;
  CheckpointRecord checkpoint;  // the latest
  std::vector<SubnetRecord> subnets;
};

std::vector<ReportRun> trainedRuns(Project& project) {
  std::vector<ReportRun> out;
  Store& store = project.store();
  for (const RunRecord& run : store.runs().all()) {
    const auto checkpoint = store.checkpoints().latest(run.id);
    if (!checkpoint) continue;
    ProjectConfig config = ProjectConfig::fromText(run.configJson, "run " + std::to_string(run.id));
    out.push_back({run, std::move(config), *checkpoint, store.subnets().forRun(run.id)});
  }
  return out;
}

bool prunes(const ReportRun& r) { return r.config.recipe.pruning.enabled; }

double runSeconds(const RunRecord& run) {
  return run.startedAt && run.finishedAt ? *run.finishedAt - *run.startedAt : 0.0;
}

// The newest row of `source` for the arch at the run's latest checkpoint (and, for a
// baseline, at the sparsity asked for).
std::optional<SubnetRecord> findRow(const ReportRun& r, const std::string& archHash,
                                    SubnetSource source,
                                    std::optional<double> sparsity = std::nullopt) {
  std::optional<SubnetRecord> found;
  for (const SubnetRecord& s : r.subnets) {
    if (s.archHash != archHash || s.source != source || s.checkpointId != r.checkpoint.id) continue;
    if (sparsity && std::abs(s.sparsity - *sparsity) > 1e-6) continue;
    found = s;
  }
  return found;
}

TicketReportRow rowOf(const std::string& subnet, double target, const std::string& method,
                      const ReportRun& r, const SubnetRecord& s) {
  return {subnet, target, method, r.run.id, s.sparsity, s.macs, s.sparseMacs > 0 ? s.sparseMacs : s.macs,
          s.accuracy, runSeconds(r.run) + s.workSeconds};
}

const ReportRun& pickDense(const std::vector<ReportRun>& runs, int64_t id, const std::string& dir) {
  const ReportRun* dense = nullptr;
  for (const ReportRun& r : runs) {
    if (id > 0 ? r.run.id == id : !prunes(r)) dense = &r;
  }
  if (!dense) {
    throw InputError(dir + (id > 0 ? ": run " + std::to_string(id) + " has no checkpoint"
                                   : ": no trained run without pruning to compare with; train one "
                                     "(a dense run) first"));
  }
  return *dense;
}

class ReportBuilder {
 public:
  ReportBuilder(Project& project, const TicketReportRequest& request, ReportRun& dense)
      : project_(project), request_(request), dense_(dense) {}

  void addDense(const std::string& subnet, const Arch& arch) {
    if (auto s = findRow(dense_, arch.hash(), SubnetSource::Evaluated))
      rows_.push_back(rowOf(subnet, 0, "dense", dense_, *s));
  }

  void addTicket(const ReportRun& t, const std::string& subnet, const Arch& arch) {
    const auto ticket = findRow(t, arch.hash(), SubnetSource::Evaluated);
    if (!ticket) return;
    const double target = t.config.recipe.pruning.target;
    rows_.push_back(rowOf(subnet, target, "supertickets", t, *ticket));
    if (auto s = findRow(t, arch.hash(), SubnetSource::Retrained))
      rows_.push_back(rowOf(subnet, target, "supertickets+retrain", t, *s));
    auto oneshot = findRow(dense_, arch.hash(), SubnetSource::OneShot, ticket->sparsity);
    auto tuned = findRow(dense_, arch.hash(), SubnetSource::OneShotFinetuned, ticket->sparsity);
    const bool wantTuned = request_.fineTuneEpochs > 0;
    if ((!oneshot || (wantTuned && !tuned)) && request_.computeMissing) {
      computeBaseline(arch, ticket->sparsity);
      oneshot = findRow(dense_, arch.hash(), SubnetSource::OneShot, ticket->sparsity);
      tuned = findRow(dense_, arch.hash(), SubnetSource::OneShotFinetuned, ticket->sparsity);
    }
    if (oneshot) rows_.push_back(rowOf(subnet, target, "oneshot", dense_, *oneshot));
    if (tuned) rows_.push_back(rowOf(subnet, target, "oneshot+finetune", dense_, *tuned));
  }

  std::vector<TicketReportRow> rows() const { return rows_; }

 private:
  void computeBaseline(const Arch& arch, double sparsity) {
    TicketRequest t;
    t.runId = dense_.run.id;
    t.arch = arch.toText();
    t.pruneTo = sparsity;
    t.fineTuneEpochs = request_.fineTuneEpochs;
    t.device = request_.device;
    t.threads = request_.threads;
    t.job = request_.job;
    request_.job.report("baseline " + arch.toText() + " at " + std::to_string(sparsity), 0, 0);
    for (SubnetRecord& s : evaluateTicket(project_, t)) dense_.subnets.push_back(std::move(s));
  }

  Project& project_;
  const TicketReportRequest& request_;
  ReportRun& dense_;
  std::vector<TicketReportRow> rows_;
};

}  // namespace

std::vector<TicketReportRow> ticketReport(Project& project, const TicketReportRequest& request) {
  std::vector<ReportRun> runs = trainedRuns(project);
  ReportRun dense = pickDense(runs, request.denseRun, project.dir());
  if (prunes(dense)) {
    throw InputError(project.dir() + ": run " + std::to_string(dense.run.id) +
                     " prunes; the baseline needs a dense run");
  }
  std::vector<const ReportRun*> tickets;
  for (const ReportRun& r : runs) {
    const bool asked = std::find(request.ticketRuns.begin(), request.ticketRuns.end(), r.run.id) !=
                       request.ticketRuns.end();
    if (request.ticketRuns.empty() ? prunes(r) : asked) tickets.push_back(&r);
  }
  for (int64_t id : request.ticketRuns) {
    const auto it = std::find_if(tickets.begin(), tickets.end(), [&](const ReportRun* r) { return r->run.id == id; });
    if (it == tickets.end() || !prunes(**it)) {
      throw InputError(project.dir() + ": run " + std::to_string(id) + " is not a trained pruning run");
    }
  }
  for (const ReportRun* t : tickets) {
    if (t->config.space.name != dense.config.space.name) {
      throw InputError(project.dir() + ": run " + std::to_string(t->run.id) + " is of space '" +
                       t->config.space.name + "', the dense run " + std::to_string(dense.run.id) + " of '" +
                       dense.config.space.name + "'");
    }
  }
  if (tickets.empty()) {
    throw InputError(project.dir() + ": no trained run prunes; train one with a recipe.pruning section");
  }
  std::stable_sort(tickets.begin(), tickets.end(), [](const ReportRun* a, const ReportRun* b) {
    return a->config.recipe.pruning.target < b->config.recipe.pruning.target;
  });
  ReportBuilder builder(project, request, dense);
  const SearchSpace& space = dense.config.space;
  for (const auto& [name, arch] : {std::pair{"largest", Arch::largest(space)}, std::pair{"smallest", Arch::smallest(space)}}) {
    builder.addDense(name, arch);
    for (const ReportRun* t : tickets) builder.addTicket(*t, name, arch);
  }
  return builder.rows();
}

CsvTable ticketReportTable(const std::vector<TicketReportRow>& rows) {
  CsvTable t;
  t.header = {"subnet", "target", "method", "run", "sparsity", "dense_macs", "sparse_macs", "accuracy", "wall_s"};
  for (const TicketReportRow& r : rows) {
    t.rows.push_back({r.subnet, csvNumber(r.target), r.method, std::to_string(r.runId), csvNumber(r.sparsity),
                      std::to_string(r.denseMacs), std::to_string(r.sparseMacs),
                      r.accuracy ? csvNumber(*r.accuracy) : "", csvNumber(std::round(r.wallSeconds * 10) / 10)});
  }
  return t;
}

}  // namespace sn
