#include "views/subnet_table_order.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <numeric>

namespace sn {
namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `needle` is lowered already; no copy of the row's text is made (a million rows a keystroke).
bool containsLowered(std::string_view hay, const std::string& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != hay.end();
}

bool matches(const SubnetSnapshot& s, size_t i, const std::string& needle) {
  if (needle.empty()) return true;
  char id[24];
  const int n = std::snprintf(id, sizeof id, "%lld", static_cast<long long>(s.subnets.row(i).id));
  return containsLowered(std::string_view(id, static_cast<size_t>(n)), needle) ||
         containsLowered(subnetSourceName(s.subnets.source(i)), needle) ||
         containsLowered(s.subnets.arch(i), needle);
}

// A number to sort by; -1 for what a row lacks, as the table shows "-".
double numericKey(const SubnetSnapshot& s, size_t i, int column) {
  const CompactSubnets::Row& r = s.subnets.row(i);
  switch (column) {
    case SubnetTableOrder::Id: return static_cast<double>(r.id);
    case SubnetTableOrder::Epoch: return r.epoch;
    case SubnetTableOrder::Accuracy: return r.hasAccuracy() ? r.accuracy : -1;
    case SubnetTableOrder::Macs: return static_cast<double>(r.macs);
    case SubnetTableOrder::SparseMacs: return static_cast<double>(r.sparseMacs);
    case SubnetTableOrder::Sparsity: return r.sparsity;
    case SubnetTableOrder::Params: return static_cast<double>(r.params);
    case SubnetTableOrder::Latency: return r.hasLatency() ? r.latencyMs : -1;
  }
  return 0;
}

void sortRows(const SubnetSnapshot& s, std::vector<uint32_t>& order, int column, bool descending) {
  if (column == SubnetTableOrder::Source || column == SubnetTableOrder::ArchText) {
    const auto text = [&](uint32_t i) {
      return column == SubnetTableOrder::Source
                 ? std::string_view(subnetSourceName(s.subnets.source(i)))
                 : s.subnets.arch(i);
    };
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return descending ? text(b) < text(a) : text(a) < text(b);
    });
    return;
  }
  std::vector<double> key(s.subnets.size());
  for (uint32_t i : order) key[i] = numericKey(s, i, column);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return descending ? key[b] < key[a] : key[a] < key[b];
  });
}

}  // namespace

std::shared_ptr<const SubnetTableOrder> SubnetTableOrder::build(std::shared_ptr<const SubnetSnapshot> snapshot,
                                                                int column, bool descending, std::string filter,
                                                                const std::atomic<bool>& superseded) {
  auto t = std::make_shared<SubnetTableOrder>();
  t->snapshot = std::move(snapshot);
  t->column = column;
  t->descending = descending;
  t->filter = std::move(filter);
  if (!t->snapshot) return t;
  const SubnetSnapshot& s = *t->snapshot;
  const std::string needle = lowered(t->filter);
  t->order.reserve(s.subnets.size());
  for (size_t i = 0; i < s.subnets.size(); ++i) {
    if ((i & 0xFFFF) == 0 && superseded) return nullptr;
    if (matches(s, i, needle)) t->order.push_back(static_cast<uint32_t>(i));
  }
  if (superseded) return nullptr;
  sortRows(s, t->order, column, descending);
  t->rowOf.assign(s.subnets.size(), -1);
  for (size_t row = 0; row < t->order.size(); ++row) t->rowOf[t->order[row]] = static_cast<int32_t>(row);
  return t;
}

}  // namespace sn
