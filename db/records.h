#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/run_status.h"
#include "db/subnet_source.h"

// Plain rows of the project database, as the repositories read and write them.
namespace sn {

struct RunRecord {
  int64_t id = 0;
  std::string name;
  std::string space;
  std::string configJson;
  RunStatus status = RunStatus::Created;
  std::string message;
  double createdAt = 0;
  std::optional<double> startedAt;
  std::optional<double> finishedAt;
  double updatedAt = 0;
  std::vector<std::string> tags;
  std::string origin;  // "copied from run 3", "imported from DIR run 2", or empty
};

struct MetricSample {
  int64_t step = 0;
  double epoch = 0;
  std::string key;
  double value = 0;
  double wallTime = 0;
  bool operator==(const MetricSample& o) const {
    return step == o.step && epoch == o.epoch && key == o.key && value == o.value &&
           wallTime == o.wallTime;
  }
};

struct CheckpointRecord {
  int64_t id = 0;
  int64_t runId = 0;
  int64_t epoch = 0;
  int64_t step = 0;
  std::string path;  // relative to the project folder
  std::string sha256;
  double createdAt = 0;
};

struct SubnetRecord {
  int64_t id = 0;
  int64_t runId = 0;
  std::optional<int64_t> checkpointId;
  std::optional<int64_t> epoch;
  std::string arch;
  std::string archHash;
  int64_t macs = 0;
  int64_t params = 0;
  std::optional<double> accuracy;
  std::optional<double> latencyMs;
  std::string latencyDevice;
  double sparsity = 0;      // share of zero weights among the subnet's prunable (block conv) weights
  int64_t sparseMacs = 0;   // MACs of the non-zero weights; 0: not counted (taken as macs)
  double workSeconds = 0;   // work after training that made this row (one-shot prune, fine-tune)
  SubnetSource source = SubnetSource::Evaluated;
  double createdAt = 0;
};

// A latency lookup table: the median time of each distinct block configuration (keyed by
// its description, input size included) on one device; a subnet's latency is
// fixedMs + blockScale x (sum of its blocks). Also the subnets it was checked against.
struct LatencyCheck {
  std::string arch;
  double predictedMs = 0;
  double measuredMs = 0;
  double remeasuredMs = 0;  // a second measurement, in a later pass; 0: none (older tables)
};

struct LatencyTableRecord {
  int64_t id = 0;
  std::string device;      // CPU model or GPU name
  std::string spaceHash;
  std::string inputShape;  // CxHxW
  int64_t batch = 1;
  int64_t threads = 1;
  double fixedMs = 0;
  double blockScale = 1;  // isolated tables: blocks run slower inside a network than alone
  // "in-network": each block timed where it runs, inside whole subnets; "isolated": each
  // block timed alone, then a scale and offset fitted on whole subnets.
  std::string method = "in-network";
  double createdAt = 0;
  std::vector<std::pair<std::string, double>> entries;  // block -> ms
  std::vector<LatencyCheck> checks;
};

// Seconds since the Unix epoch, the time stamp of every row.
double nowSeconds();

}  // namespace sn
