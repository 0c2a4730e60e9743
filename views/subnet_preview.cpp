#include "views/subnet_preview.h"

#include <cmath>
#include <vector>

#include "core/search/pareto_front.h"
#include "db/store.h"

namespace sn {

std::shared_ptr<const SubnetPreview> loadSubnetPreview(
    const SubnetLoadRequest& request, int64_t minRows,
    const std::function<double(const SubnetView&)>& costOf, const QString& xTitle,
    const std::atomic<bool>& superseded) {
  Store store(request.databasePath, Database::Mode::ReadOnly, Database::Threads::One);
  if (store.subnets().count(request.runId) < minRows) return nullptr;
  auto p = std::make_shared<SubnetPreview>();
  p->runId = request.runId;
  std::vector<FrontPoint> measured;
  std::vector<int64_t> ids;
  ValueSpan x, y;
  bool stopped = false;
  store.subnets().forEachCost(request.runId, [&](const SubnetView& r) {
    if ((++p->count & 0xFFFF) == 0 && superseded) return !(stopped = true);
    p->macsM.add(r.macs / 1e6);
    p->paramsM.add(r.params / 1e6);
    if (r.latencyMs) p->latencyMs.add(*r.latencyMs);
    const double cost = costOf(r);
    if (!r.accuracy || std::isnan(cost)) return true;
    x.add(cost);
    y.add(100 * *r.accuracy);
    if (isMeasured(r.source)) {
      measured.push_back({cost, 100 * *r.accuracy});
      ids.push_back(r.id);
    }
    return true;
  });
  if (stopped) return nullptr;
  std::vector<PlotPoint> points;
  std::vector<size_t> front;
  for (size_t k : paretoFront(measured)) {
    front.push_back(points.size());
    points.push_back({measured[k].cost, measured[k].accuracy, 0, ids[k]});
  }
  const QRectF extent =
      x.known ? QRectF(QPointF(x.min, y.min), QPointF(x.max, y.max)) : QRectF(0, 0, 1, 1);
  const ScatterGroup group{"measured front (loading…)", QColor(31, 119, 180), false};
  p->scatter = ScatterData::build(xTitle, {group}, std::move(points), std::move(front), &extent);
  return p;
}

}  // namespace sn
