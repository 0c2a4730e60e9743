#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/util/csv_table.h"

#include "core/util/job_control.h"

namespace sn {

class Project;

// SuperTickets against the baselines, for the largest and smallest subnet of each
// pruning run: the ticket as trained (and retrained, where a "retrained" row exists), and
// a dense run's same subnet one-shot magnitude-pruned to the ticket's own sparsity, with
// and without fine-tuning. Baselines the project lacks are computed and stored first
// (unless computeMissing is off), so the second report is instant.
struct TicketReportRequest {
  std::vector<int64_t> ticketRuns;  // empty: every run whose recipe prunes and has a checkpoint
  int64_t denseRun = 0;             // 0: the newest run that does not prune and has a checkpoint
  int fineTuneEpochs = 1;
  bool computeMissing = true;
  std::string device = "cpu";
  int threads = 0;
  JobControl job;  // a "baseline ..." stage per baseline computed, then its ticket's stages
};

struct TicketReportRow {
  std::string subnet;      // largest | smallest
  double target = 0;       // the pruning run's target sparsity (0 for the dense reference)
  std::string method;      // dense | supertickets | supertickets+retrain | oneshot | oneshot+finetune
  int64_t runId = 0;
  double sparsity = 0;     // of the subnet's prunable weights
  int64_t denseMacs = 0;
  int64_t sparseMacs = 0;
  std::optional<double> accuracy;
  double wallSeconds = 0;  // the run's training, plus the work that made this row
};

std::vector<TicketReportRow> ticketReport(Project& project, const TicketReportRequest& request);
CsvTable ticketReportTable(const std::vector<TicketReportRow>& rows);

}  // namespace sn
