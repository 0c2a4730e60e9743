#include "views/compact_subnets.h"

#include <algorithm>
#include <stdexcept>

namespace sn {

CompactSubnets::CompactSubnets() : names_{""} {}

uint16_t CompactSubnets::intern(std::string_view name) {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it != names_.end()) return static_cast<uint16_t>(it - names_.begin());
  if (names_.size() >= 65535) throw std::length_error("too many distinct device names");
  names_.emplace_back(name);
  return static_cast<uint16_t>(names_.size() - 1);
}

CompactSubnets::Chunk& CompactSubnets::writableLastChunk() {
  if (chunks_.empty() || chunks_.back()->rows.size() == kChunk) {
    chunks_.push_back(std::make_shared<Chunk>());
    chunks_.back()->rows.reserve(1024);
  } else if (chunks_.back().use_count() > 1) {
    // Another copy (an older snapshot the UI still shows) holds it: copy before writing.
    chunks_.back() = std::make_shared<Chunk>(*chunks_.back());
  }
  return *chunks_.back();
}

void CompactSubnets::append(const SubnetRecord& s) { append(SubnetView::of(s)); }

void CompactSubnets::append(const SubnetView& s) {
  if (size_ && s.id <= lastId()) throw std::logic_error("CompactSubnets: ids must ascend");
  const uint16_t device = intern(s.latencyDevice);
  Chunk& chunk = writableLastChunk();
  Row r;
  r.id = s.id;
  r.runId = s.runId;
  r.macs = s.macs;
  r.params = s.params;
  r.sparseMacs = s.sparseMacs;
  r.checkpointId = s.checkpointId.value_or(-1);
  r.accuracy = s.accuracy.value_or(NAN);
  r.latencyMs = s.latencyMs.value_or(NAN);
  r.sparsity = s.sparsity;
  r.workSeconds = s.workSeconds;
  r.createdAt = s.createdAt;
  r.epoch = s.epoch ? static_cast<int32_t>(*s.epoch) : -1;
  r.textAt = static_cast<uint32_t>(chunk.text.size());
  r.archLength = static_cast<uint16_t>(std::min<size_t>(s.arch.size(), 65535));
  r.hashLength = static_cast<uint8_t>(std::min<size_t>(s.archHash.size(), 255));
  r.source = s.source;
  r.device = device;
  chunk.text.append(s.arch.substr(0, r.archLength));
  chunk.text.append(s.archHash.substr(0, r.hashLength));
  chunk.rows.push_back(r);
  ++size_;
}

void CompactSubnets::appendAll(CompactSubnets&& other) {
  if (other.empty()) return;
  if (size_ % kChunk != 0) throw std::logic_error("CompactSubnets: appendAll after a partial chunk");
  if (size_ && other.row(0).id <= lastId()) throw std::logic_error("CompactSubnets: ids must ascend");
  // Its names are numbered its own way: renumber its rows into ours.
  std::vector<uint16_t> renumber(other.names_.size());
  for (size_t k = 0; k < other.names_.size(); ++k) renumber[k] = intern(other.names_[k]);
  for (std::shared_ptr<Chunk>& c : other.chunks_) {
    if (c.use_count() > 1) c = std::make_shared<Chunk>(*c);
    for (Row& r : c->rows) r.device = renumber[r.device];
    chunks_.push_back(std::move(c));
  }
  size_ += other.size_;
  other = CompactSubnets();
}

std::string_view CompactSubnets::arch(size_t i) const {
  const Row& r = row(i);
  return std::string_view(chunks_[i / kChunk]->text).substr(r.textAt, r.archLength);
}

std::string_view CompactSubnets::archHash(size_t i) const {
  const Row& r = row(i);
  return std::string_view(chunks_[i / kChunk]->text).substr(r.textAt + r.archLength, r.hashLength);
}

SubnetRecord CompactSubnets::record(size_t i) const { return view(i).record(); }

SubnetView CompactSubnets::view(size_t i) const {
  const Row& r = row(i);
  SubnetView v;
  v.id = r.id;
  v.runId = r.runId;
  if (r.checkpointId >= 0) v.checkpointId = r.checkpointId;
  if (r.epoch >= 0) v.epoch = r.epoch;
  v.arch = arch(i);
  v.archHash = archHash(i);
  v.macs = r.macs;
  v.params = r.params;
  if (r.hasAccuracy()) v.accuracy = r.accuracy;
  if (r.hasLatency()) v.latencyMs = r.latencyMs;
  v.latencyDevice = names_[r.device];
  v.sparsity = r.sparsity;
  v.source = r.source;
  v.createdAt = r.createdAt;
  v.sparseMacs = r.sparseMacs;
  v.workSeconds = r.workSeconds;
  return v;
}

std::optional<size_t> CompactSubnets::indexOf(int64_t id) const {
  size_t lo = 0, hi = size_;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (row(mid).id < id) lo = mid + 1;
    else hi = mid;
  }
  if (lo < size_ && row(lo).id == id) return lo;
  return std::nullopt;
}

size_t CompactSubnets::bytes() const {
  size_t n = chunks_.capacity() * sizeof(chunks_[0]);
  for (const auto& c : chunks_) n += sizeof(Chunk) + c->rows.capacity() * sizeof(Row) + c->text.capacity();
  for (const std::string& s : names_) n += sizeof(s) + s.capacity();
  return n;
}

}  // namespace sn
