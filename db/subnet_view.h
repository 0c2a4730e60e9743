#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/records.h"

namespace sn {

// One stored subnet as read, its text columns pointing into SQLite's row: valid only inside
// the callback that receives it. Reading a million rows this way skips the four string
// allocations a SubnetRecord makes per row (1.8 s of a 2.4 s load of 1M subnets).
struct SubnetView {
  int64_t id = 0;
  int64_t runId = 0;
  std::optional<int64_t> checkpointId;
  std::optional<int64_t> epoch;
  std::string_view arch;
  std::string_view archHash;
  int64_t macs = 0;
  int64_t params = 0;
  std::optional<double> accuracy;
  std::optional<double> latencyMs;
  std::string_view latencyDevice;
  double sparsity = 0;
  SubnetSource source = SubnetSource::Evaluated;
  double createdAt = 0;
  int64_t sparseMacs = 0;
  double workSeconds = 0;

  // A record's fields as a view (valid while the record lives), and a view copied out.
  static SubnetView of(const SubnetRecord& s) {
    return {s.id, s.runId, s.checkpointId, s.epoch, s.arch, s.archHash, s.macs, s.params, s.accuracy,
            s.latencyMs, s.latencyDevice, s.sparsity, s.source, s.createdAt, s.sparseMacs, s.workSeconds};
  }
  SubnetRecord record() const {
    return {id,
            runId,
            checkpointId,
            epoch,
            std::string(arch),
            std::string(archHash),
            macs,
            params,
            accuracy,
            latencyMs,
            std::string(latencyDevice),
            sparsity,
            sparseMacs,
            workSeconds,
            source,
            createdAt};
  }
};

}  // namespace sn
