#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sn {

struct PickleValue;
// A read pickle's values live in one arena, which a PickleRef keeps alive. Children are plain
// pointers into it: a pickle's memo can share an object and even make a list contain itself,
// and pointers (unlike owners) make that a harmless cycle instead of a leak.
using PickleRef = std::shared_ptr<const PickleValue>;

// A tensor as a checkpoint's pickle describes it: a view of one storage record. The bytes
// are read by whoever knows the container (zip record or legacy tail).
struct TensorRef {
  std::string storageKey;
  std::string dtype;  // "Float", "Half", "BFloat16", "Double", "Long", "Int", ...
  int64_t storageNumel = 0;
  int64_t offset = 0;
  std::vector<int64_t> sizes;
  std::vector<int64_t> strides;
};

// The values a torch.save checkpoint is made of, and nothing else: no object of any other
// class can come out of PickleReader.
struct PickleValue {
  enum class Kind { None, Bool, Int, Float, String, Bytes, List, Tuple, Dict, Tensor, Storage, Global };
  Kind kind = Kind::None;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string text;  // String, Bytes; Global: "module.name"
  std::vector<PickleValue*> items;                              // List, Tuple
  std::vector<std::pair<PickleValue*, PickleValue*>> entries;  // Dict, in insertion order
  TensorRef tensor;  // Tensor; Storage uses storageKey, dtype and storageNumel

  bool is(Kind k) const { return kind == k; }
  // The entry of a Dict with a String key `key`, or null.
  const PickleValue* find(const std::string& key) const {
    for (const auto& [k, v] : entries) {
      if (k->kind == Kind::String && k->text == key) return v;
    }
    return nullptr;
  }
};

}  // namespace sn
