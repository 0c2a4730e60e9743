#pragma once
#include <QString>

#include <map>
#include <string>
#include <vector>

#include "db/records.h"

namespace sn {

// What a run's training method is sampling, from its metric rows (so a CLI run shows it too):
// the latest sampling/share/... (shares of each choice among the sampled subnets),
// sampling/enabled/... (Progressive Shrinking's phase) and the method's other sampling/ rows.
class SamplingSummary {
 public:
  void clear() { latest_.clear(); }
  // Rows in step order; returns whether any sampling row was among them.
  bool take(const std::vector<MetricSample>& rows);
  bool empty() const { return latest_.empty(); }
  // Lines such as "enabled now (phase 2): kernel 3, 5, 7 · depth 4, 3 · expand 6" and
  // "sampled: kernel 3 34% · 5 33% · 7 33% | ...".
  QString text() const;

 private:
  // "kernel" -> choice -> value, of the rows under `prefix` (sampling/share/, sampling/enabled/).
  std::map<std::string, std::map<int, double>> group(const std::string& prefix) const;

  std::map<std::string, double> latest_;  // sampling/... key -> latest value
};

}  // namespace sn
