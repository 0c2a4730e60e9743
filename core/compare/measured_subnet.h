#pragma once
#include <cstdint>
#include <optional>

#include "db/subnet_source.h"

namespace sn {

// A measured subnet as a comparison holds it: its numbers, no text. Six runs of 200k held as
// SubnetRecords took about 540 MB of small strings; the whole records of the few a comparison
// can show (its front, and the skyline its limits pick from) are kept apart, in RunFront::shown.
struct MeasuredSubnet {
  int64_t id = 0;
  std::optional<int64_t> epoch;
  int64_t macs = 0;
  int64_t params = 0;
  std::optional<double> latencyMs;
  double accuracy = 0;  // 0-1, always measured
  SubnetSource source = SubnetSource::Evaluated;
};

}  // namespace sn
