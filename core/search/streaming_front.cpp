#include "core/search/streaming_front.h"

#include <iterator>

namespace sn {

void StreamingFront::add(int64_t id, const FrontPoint& p) {
  auto next = byCost_.upper_bound(p.cost);
  if (next != byCost_.begin()) {
    auto cheaper = std::prev(next);  // the front point of the highest cost <= p's
    if (cheaper->second.accuracy > p.accuracy) return;  // dominated
    if (cheaper->second.accuracy == p.accuracy) {
      if (cheaper->first == p.cost) cheaper->second.ids.push_back(id);  // an exact duplicate
      return;  // else as accurate, and dearer: dominated
    }
    if (cheaper->first == p.cost) byCost_.erase(cheaper);  // same cost, less accurate
  }
  // Dearer points no more accurate than p leave the front.
  while (next != byCost_.end() && next->second.accuracy <= p.accuracy) next = byCost_.erase(next);
  byCost_.emplace_hint(next, p.cost, Entry{p.accuracy, {id}});
}

std::vector<std::pair<int64_t, FrontPoint>> StreamingFront::points() const {
  std::vector<std::pair<int64_t, FrontPoint>> out;
  for (const auto& [cost, e] : byCost_) {
    for (int64_t id : e.ids) out.push_back({id, {cost, e.accuracy}});
  }
  return out;
}

}  // namespace sn
