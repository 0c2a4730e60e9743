#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/pytorch_io/pickle_value.h"

namespace sn {

// A pickle virtual machine for the subset torch.save writes (protocols 2 to 4): dict,
// OrderedDict, list, tuple, str, bytes, int, float, bool, None, tensors rebuilt by
// torch._utils._rebuild_tensor_v2 / _rebuild_parameter over typed storages given by
// persistent id. It never runs code: GLOBAL resolves only the few names a checkpoint needs,
// to plain values; any other global is refused with an InputError naming it. Plain C++
// (no torch), so a fuzzer can drive it alone.
class PickleReader {
 public:
  // `what` names the file (and record) in messages.
  PickleReader(const uint8_t* data, size_t size, std::string what);

  // Reads one pickle from the current position up to its STOP; the position moves past it,
  // so a legacy checkpoint's pickles can be read one after the other.
  PickleRef next();
  size_t position() const { return pos_; }

 private:
  uint8_t byte();
  const uint8_t* take(size_t n);
  uint64_t little(size_t n);
  std::string text(size_t n);
  [[noreturn]] void fail(const std::string& problem) const;

  using Value = PickleValue*;
  Value make(PickleValue::Kind kind);
  Value makeInt(int64_t v);
  Value makeText(PickleValue::Kind kind, std::string text);
  Value makeSequence(PickleValue::Kind kind, std::vector<Value> items);

  void execute(uint8_t op);
  void push(Value v) { stack_.push_back(v); }
  Value pop();
  Value top();
  std::vector<Value> popToMark();
  void memoise(uint64_t index);
  Value recall(uint64_t index);
  Value global(const std::string& module, const std::string& name);
  Value reduce(Value callable, Value args);
  Value rebuildTensor(Value args);
  Value persistentLoad(Value pid);
  void setItems(Value dict, const std::vector<Value>& flat);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string what_;
  using Arena = std::vector<std::unique_ptr<PickleValue>>;
  std::shared_ptr<Arena> arena_;  // the values of the pickle being read
  std::vector<Value> stack_;
  std::vector<std::vector<Value>> marks_;
  std::unordered_map<uint64_t, Value> memo_;
  bool stopped_ = false;
};

// Element size in bytes of a storage dtype name ("Float" -> 4), 0 for one this reader
// does not know.
int64_t storageElementSize(const std::string& dtype);

}  // namespace sn
