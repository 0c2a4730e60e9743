#pragma once
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "db/subnet_view.h"
#include "views/scatter_data.h"
#include "views/subnet_snapshot.h"
#include "views/value_span.h"

namespace sn {

// A first view of a large run, read before its rows: the count, the sliders' ranges and
// the measured front drawn on the axes of every subnet, from the numeric columns only. At
// 1M subnets that read takes about a third of the time of the whole load (SubnetSnapshot),
// so the tab paints its axes, front and counts well before the scatter and table follow.
struct SubnetPreview {
  int64_t runId = 0;
  int64_t count = 0;
  ValueSpan macsM, paramsM, latencyMs;         // latency: the measured ones only
  std::shared_ptr<const ScatterData> scatter;  // the front alone, one group
};

// Reads `request`'s run on its own read-only connection. `costOf` gives a row's x on the
// page's cost axis, NaN where the row has none there; y is the accuracy in %. Null when the
// run has fewer than `minRows` subnets (its whole load is quick) or when `superseded` turns
// true midway. Throws DbError naming the file.
std::shared_ptr<const SubnetPreview> loadSubnetPreview(
    const SubnetLoadRequest& request, int64_t minRows,
    const std::function<double(const SubnetView&)>& costOf, const QString& xTitle,
    const std::atomic<bool>& superseded);

}  // namespace sn
