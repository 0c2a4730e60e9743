#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "views/subnet_columns.h"
#include "views/subnet_snapshot.h"

namespace sn {

// The Subnets table's rows: which subnets of a snapshot pass the filter, in which order.
// Sorting and filtering a million rows takes a second or more, so it is made on a worker
// (SubnetTableModel only swaps it in); a QSortFilterProxyModel did it on the UI thread.
struct SubnetTableOrder : SubnetColumns {
  std::shared_ptr<const SubnetSnapshot> snapshot;
  std::vector<uint32_t> order;  // table row -> subnet index
  std::vector<int32_t> rowOf;   // subnet index -> table row, -1 when filtered out
  int column = Accuracy;
  bool descending = true;
  std::string filter;

  // `filter`: a case-insensitive substring of the id, source or arch text. Null when
  // `superseded` turns true midway.
  static std::shared_ptr<const SubnetTableOrder> build(std::shared_ptr<const SubnetSnapshot> snapshot,
                                                       int column, bool descending, std::string filter,
                                                       const std::atomic<bool>& superseded);
};

}  // namespace sn
