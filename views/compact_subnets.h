#pragma once
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/records.h"
#include "db/subnet_view.h"

namespace sn {

// A run's subnets as the GUI holds them: fixed-size rows with the arch text and hash in one
// buffer per chunk, and the few distinct device names interned. A SubnetRecord
// of 1M subnets is ~450 MB of small strings; this is ~150 MB. Chunks are shared between
// copies and never change once another copy holds them, so a reload that only adds rows
// (a search storing 10k more) copies the last chunk, not the million before it.
class CompactSubnets {
 public:
  struct Row {
    int64_t id = 0;
    int64_t runId = 0;
    int64_t macs = 0;
    int64_t params = 0;
    int64_t sparseMacs = 0;
    int64_t checkpointId = -1;  // -1: none
    double accuracy = NAN;      // NaN: not measured
    double latencyMs = NAN;     // measured; NaN: not measured
    double sparsity = 0;
    double workSeconds = 0;
    double createdAt = 0;
    int32_t epoch = -1;  // -1: none
    uint32_t textAt = 0;  // arch text, then its hash, in the chunk's text
    uint16_t archLength = 0;
    uint8_t hashLength = 0;
    SubnetSource source = SubnetSource::Evaluated;
    uint16_t device = 0;  // into names()

    bool hasAccuracy() const { return !std::isnan(accuracy); }
    bool hasLatency() const { return !std::isnan(latencyMs); }
  };

  CompactSubnets();

  // Rows must come in ascending id order (as the repository reads them): lookups by id are
  // binary searches, with no million-entry hash map.
  void append(const SubnetView& s);
  void append(const SubnetRecord& s);
  // Takes `other`'s rows after these (their ids above these). These must fill whole chunks:
  // a split load reads its first part to a chunk boundary. Throws std::logic_error if not.
  void appendAll(CompactSubnets&& other);
  static constexpr size_t kChunkRows = 1 << 16;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Row& row(size_t i) const { return chunks_[i / kChunk]->rows[i % kChunk]; }
  std::string_view arch(size_t i) const;
  std::string_view archHash(size_t i) const;
  SubnetSource source(size_t i) const { return row(i).source; }
  const std::string& name(uint16_t index) const { return names_[index]; }
  // The stored record, whole again (for details, export, the predictor's sample).
  SubnetRecord record(size_t i) const;
  SubnetView view(size_t i) const;  // valid while these rows live
  std::optional<size_t> indexOf(int64_t id) const;
  int64_t lastId() const { return size_ ? row(size_ - 1).id : 0; }
  // Bytes held (rows, text, names), for the memory figure of the benchmark.
  size_t bytes() const;

 private:
  static constexpr size_t kChunk = kChunkRows;
  struct Chunk {
    std::vector<Row> rows;
    std::string text;
  };
  uint16_t intern(std::string_view name);
  Chunk& writableLastChunk();

  std::vector<std::shared_ptr<Chunk>> chunks_;
  std::vector<std::string> names_;
  size_t size_ = 0;
};

}  // namespace sn
