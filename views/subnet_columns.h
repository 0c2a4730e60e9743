#pragma once

namespace sn {

// The Subnets table's columns, shared by its model and the worker that sorts its rows.
struct SubnetColumns {
  enum Column { Id, Source, Epoch, Accuracy, Macs, SparseMacs, Sparsity, Params, Latency, ArchText, ColumnCount };
};

}  // namespace sn
