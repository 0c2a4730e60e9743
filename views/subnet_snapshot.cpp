#include "views/subnet_snapshot.h"

#include <cmath>
#include <thread>

#include "core/latency/latency_model.h"
#include "db/db_error.h"
#include "db/store.h"

namespace sn {
namespace {

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

// Reads the run's rows in (afterId, upToId] into `s` on `store`; false when superseded.
bool readRows(Store& store, const SubnetLoadRequest& request, const std::optional<LatencyModel>& lut,
              int64_t afterId, int64_t upToId, const std::atomic<bool>& superseded, SubnetSnapshot& s,
              std::vector<SkylineEntry>& entries) {
  bool stopped = false;
  store.subnets().forEachViewAfter(request.runId, afterId, [&](const SubnetView& r) {
    if ((s.subnets.size() & 0xFFF) == 0 && superseded) return !(stopped = true);
    addRow(s, r, lut, request.space, entries);
    return true;
  }, upToId);
  return !stopped;
}

void mergeSpan(ValueSpan& into, const ValueSpan& from) {
  if (!from.known) return;
  into.add(from.min);
  into.add(from.max);
}

// A whole read of a large run in two id ranges, the second on its own connection and
// thread: on two cores a million rows load in about half the time. The first range ends at
// a chunk boundary so the second's rows join without a copy. False when superseded, or when
// rows vanished between the count and the read (the caller then reads in one range).
bool readSplit(Store& store, const SubnetLoadRequest& request, const std::optional<LatencyModel>& lut,
               const std::atomic<bool>& superseded, SubnetSnapshot& s, std::vector<SkylineEntry>& entries) {
  const int64_t n = store.subnets().count(request.runId);
  const int64_t firstRows = n / 2 / CompactSubnets::kChunkRows * CompactSubnets::kChunkRows;
  const int64_t splitId = store.subnets().idAtOffset(request.runId, firstRows - 1);
  SubnetSnapshot second;
  std::vector<SkylineEntry> secondEntries;
  bool secondDone = false;
  std::string secondError;
  std::thread reader([&] {
    try {
      Store own(request.databasePath, Database::Mode::ReadOnly, Database::Threads::One);
      secondDone = readRows(own, request, lut, splitId, INT64_MAX, superseded, second, secondEntries);
    } catch (const std::exception& e) {
      secondError = e.what();
    }
  });
  const bool firstDone = readRows(store, request, lut, 0, splitId, superseded, s, entries);
  reader.join();
  if (!secondError.empty()) throw DbError(secondError);
  if (!firstDone || !secondDone || static_cast<int64_t>(s.subnets.size()) != firstRows) return false;
  s.subnets.appendAll(std::move(second.subnets));
  s.latency.insert(s.latency.end(), second.latency.begin(), second.latency.end());
  s.latencyPredicted.insert(s.latencyPredicted.end(), second.latencyPredicted.begin(), second.latencyPredicted.end());
  mergeSpan(s.macsM, second.macsM);
  mergeSpan(s.paramsM, second.paramsM);
  mergeSpan(s.latencyMs, second.latencyMs);
  entries.insert(entries.end(), secondEntries.begin(), secondEntries.end());
  return true;
}

}  // namespace

bool extendsSnapshot(const SubnetSnapshot* previous, const SubnetLoadRequest& request) {
  return previous && previous->runId == request.runId &&
         previous->latencyStamp == request.latencyStamp;
}

std::shared_ptr<const SubnetSnapshot> loadSubnetSnapshot(const SubnetLoadRequest& request,
                                                         const std::shared_ptr<const SubnetSnapshot>& previous,
                                                         const std::atomic<bool>& superseded) {
  Store store(request.databasePath, Database::Mode::ReadOnly, Database::Threads::One);
  auto s = std::make_shared<SubnetSnapshot>();
  const bool extend = extendsSnapshot(previous.get(), request);
  if (extend) *s = *previous;  // shares its row chunks; copies the small rest
  s->runId = request.runId;
  s->latencyStamp = request.latencyStamp;
  s->incremental = extend;
  std::optional<LatencyModel> lut = lookupTable(request, s->latencyError);
  std::vector<SkylineEntry> entries;
  const bool large = !extend && store.subnets().count(request.runId) >= 4 * static_cast<int64_t>(CompactSubnets::kChunkRows);
  bool read = large && readSplit(store, request, lut, superseded, *s, entries);
  if (!read && superseded) return nullptr;
  if (!read && large) {  // rows vanished mid-read: start over, in one range
    const std::string error = s->latencyError;
    *s = SubnetSnapshot();
    s->runId = request.runId;
    s->latencyStamp = request.latencyStamp;
    s->latencyError = error;
    entries.clear();
  }
  if (!read && !readRows(store, request, lut, s->subnets.lastId(), INT64_MAX, superseded, *s, entries)) return nullptr;
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
