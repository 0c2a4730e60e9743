#include "views/subnet_snapshot.h"

#include <cmath>

#include "core/latency/latency_model.h"
#include "db/store.h"

namespace sn {
namespace {

bool canExtend(const SubnetSnapshot* previous, const SubnetLoadRequest& request) {
  return previous && previous->runId == request.runId && previous->latencyStamp == request.latencyStamp;
}

std::optional<LatencyModel> lookupTable(const SubnetLoadRequest& request, std::string& error) {
  try {
    if (request.latencyTable) return LatencyModel(*request.latencyTable, request.space, request.shape);
  } catch (const std::exception& e) {
    error = e.what();
  }
  return std::nullopt;
}

// One row's latency, skyline entry and slider spans.
void addRow(SubnetSnapshot& s, const SubnetView& r, const std::optional<LatencyModel>& lut,
            const SearchSpace& space, std::vector<SkylineEntry>& entries) {
  s.subnets.append(r);
  double latency = r.latencyMs.value_or(NAN);
  const bool predicted = !r.latencyMs && lut;
  if (predicted) latency = lut->predictMs(Arch::parse(std::string(r.arch), space));
  s.latency.push_back(latency);
  s.latencyPredicted.push_back(predicted);
  s.macsM.add(r.macs / 1e6);
  s.paramsM.add(r.params / 1e6);
  if (!std::isnan(latency)) s.latencyMs.add(latency);
  if (!r.accuracy) return;
  SkylineEntry e;
  e.id = r.id;
  e.macs = static_cast<double>(r.macs);
  e.params = static_cast<double>(r.params);
  if (!std::isnan(latency)) e.latencyMs = latency;
  e.accuracy = *r.accuracy;
  entries.push_back(e);
}

}  // namespace

std::shared_ptr<const SubnetSnapshot> loadSubnetSnapshot(const SubnetLoadRequest& request,
                                                         const std::shared_ptr<const SubnetSnapshot>& previous,
                                                         const std::atomic<bool>& superseded) {
  Store store(request.databasePath, Database::Mode::ReadOnly);
  auto s = std::make_shared<SubnetSnapshot>();
  const bool extend = canExtend(previous.get(), request);
  if (extend) *s = *previous;  // shares its row chunks; copies the small rest
  s->runId = request.runId;
  s->latencyStamp = request.latencyStamp;
  s->incremental = extend;
  std::optional<LatencyModel> lut = lookupTable(request, s->latencyError);
  std::vector<SkylineEntry> entries;
  bool stopped = false;
  store.subnets().forEachViewAfter(request.runId, s->subnets.lastId(), [&](const SubnetView& r) {
    if ((s->subnets.size() & 0xFFF) == 0 && superseded) return !(stopped = true);
    addRow(*s, r, lut, request.space, entries);
    return true;
  });
  if (stopped) return nullptr;
  // Rows only ever arrive after the last id; any other count means rows were deleted (the
  // run removed and its id handed out again): read it whole.
  if (extend && store.subnets().count(request.runId) != static_cast<int64_t>(s->subnets.size())) {
    return loadSubnetSnapshot(request, nullptr, superseded);
  }
  if (extend) {
    for (const SkylineEntry& e : entries) s->skyline.add(e);  // O(skyline) each
  } else {
    s->skyline = SubnetSkyline(std::move(entries));
  }
  return s;
}

}  // namespace sn
