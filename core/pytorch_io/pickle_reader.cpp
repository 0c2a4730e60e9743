#include "core/pytorch_io/pickle_reader.h"

#include <cstdio>
#include <cstring>
#include <map>

#include "core/util/input_error.h"

namespace sn {
namespace {

using Kind = PickleValue::Kind;

// The storage classes torch.save names in persistent ids, by their dtype name.
const std::map<std::string, int64_t>& storageSizes() {
  static const std::map<std::string, int64_t> sizes = {
      {"Float", 4}, {"Half", 2}, {"BFloat16", 2}, {"Double", 8}, {"Long", 8},
      {"Int", 4},   {"Short", 2}, {"Char", 1},    {"Byte", 1},   {"Bool", 1}};
  return sizes;
}

const char* kindName(Kind k) {
  switch (k) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::List: return "list";
    case Kind::Tuple: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Tensor: return "tensor";
    case Kind::Storage: return "storage";
    case Kind::Global: return "global";
  }
  return "?";
}

}  // namespace

int64_t storageElementSize(const std::string& dtype) {
  const auto it = storageSizes().find(dtype);
  return it == storageSizes().end() ? 0 : it->second;
}

PickleReader::PickleReader(const uint8_t* data, size_t size, std::string what)
    : data_(data), size_(size), what_(std::move(what)) {}

PickleReader::Value PickleReader::make(Kind kind) {
  arena_->push_back(std::make_unique<PickleValue>());
  arena_->back()->kind = kind;
  return arena_->back().get();
}

PickleReader::Value PickleReader::makeInt(int64_t v) {
  Value r = make(Kind::Int);
  r->integer = v;
  return r;
}

PickleReader::Value PickleReader::makeText(Kind kind, std::string text) {
  Value r = make(kind);
  r->text = std::move(text);
  return r;
}

PickleReader::Value PickleReader::makeSequence(Kind kind, std::vector<Value> items) {
  Value r = make(kind);
  r->items.assign(items.begin(), items.end());
  return r;
}

void PickleReader::fail(const std::string& problem) const {
  throw InputError(what_ + ": " + problem + " (at byte " + std::to_string(pos_) + ")");
}

uint8_t PickleReader::byte() { return *take(1); }

const uint8_t* PickleReader::take(size_t n) {
  if (n > size_ - pos_) fail("the file ends inside a pickle (truncated)");
  const uint8_t* p = data_ + pos_;
  pos_ += n;
  return p;
}

uint64_t PickleReader::little(size_t n) {
  const uint8_t* p = take(n);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

std::string PickleReader::text(size_t n) {
  const uint8_t* p = take(n);
  return std::string(reinterpret_cast<const char*>(p), n);
}

PickleReader::Value PickleReader::pop() {
  if (stack_.empty()) fail("malformed pickle (pop from an empty stack)");
  Value v = stack_.back();
  stack_.pop_back();
  return v;
}

PickleReader::Value PickleReader::top() {
  if (stack_.empty()) fail("malformed pickle (empty stack)");
  return stack_.back();
}

std::vector<PickleReader::Value> PickleReader::popToMark() {
  if (marks_.empty()) fail("malformed pickle (no MARK)");
  std::vector<Value> items = std::move(stack_);
  stack_ = std::move(marks_.back());
  marks_.pop_back();
  return items;
}

void PickleReader::memoise(uint64_t index) { memo_[index] = top(); }

PickleReader::Value PickleReader::recall(uint64_t index) {
  const auto it = memo_.find(index);
  if (it == memo_.end()) fail("malformed pickle (memo " + std::to_string(index) + " unset)");
  return it->second;
}

PickleRef PickleReader::next() {
  arena_ = std::make_shared<Arena>();
  stack_.clear();
  marks_.clear();
  memo_.clear();
  stopped_ = false;
  while (!stopped_) execute(byte());
  if (stack_.size() != 1 || !marks_.empty()) fail("malformed pickle (stack not one value at STOP)");
  return PickleRef(arena_, pop());  // shares the arena's ownership
}

PickleReader::Value PickleReader::global(const std::string& module, const std::string& name) {
  const std::string full = module + "." + name;
  static const char* const kFunctions[] = {"collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                                           "torch._utils._rebuild_parameter",
                                           // LibTorch's pickle_save tags typed dicts and lists with it
                                           "torch.jit._pickle.restore_type_tag"};
  for (const char* f : kFunctions) {
    if (full == f) return makeText(Kind::Global, full);
  }
  const std::string suffix = "Storage";
  if (module == "torch" && name.size() > suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
      storageElementSize(name.substr(0, name.size() - suffix.size())) > 0) {
    return makeText(Kind::Global, full);
  }
  fail("refuses to load '" + full +
       "': a checkpoint may hold only tensors, numbers, strings, lists and dicts, and nothing "
       "in the file is run");
}

PickleReader::Value PickleReader::reduce(Value callable, Value args) {
  if (!callable->is(Kind::Global)) fail("malformed pickle (REDUCE on a " + std::string(kindName(callable->kind)) + ")");
  if (!args->is(Kind::Tuple)) fail("malformed pickle (REDUCE arguments are not a tuple)");
  const std::string& f = callable->text;
  if (f == "collections.OrderedDict") {
    if (!args->items.empty()) fail("OrderedDict with constructor arguments is not supported");
    return make(Kind::Dict);
  }
  if (f == "torch._utils._rebuild_tensor_v2") return rebuildTensor(args);
  if (f == "torch.jit._pickle.restore_type_tag") {
    // (value, "Dict[str, Tensor]"): the type is for TorchScript; the value is what is read.
    if (args->items.size() != 2) fail("restore_type_tag with other than two arguments");
    return args->items[0];
  }
  if (f == "torch._utils._rebuild_parameter") {
    if (args->items.empty() || !args->items[0]->is(Kind::Tensor)) fail("_rebuild_parameter without a tensor");
    return args->items[0];
  }
  fail("'" + f + "' cannot be called");
}

// _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).
PickleReader::Value PickleReader::rebuildTensor(Value args) {
  const auto& a = args->items;
  if (a.size() < 4 || !a[0]->is(Kind::Storage) || !a[1]->is(Kind::Int) || !a[2]->is(Kind::Tuple) ||
      !a[3]->is(Kind::Tuple) || a[2]->items.size() != a[3]->items.size() || a[2]->items.size() > 16) {
    fail("a tensor whose rebuild arguments are malformed");
  }
  Value t = make(Kind::Tensor);
  t->tensor = a[0]->tensor;
  t->tensor.offset = a[1]->integer;
  constexpr int64_t kLimit = int64_t{1} << 40;
  bool empty = false;
  int64_t last = t->tensor.offset;  // the highest element index the view reaches
  for (size_t d = 0; d < a[2]->items.size(); ++d) {
    const PickleValue* size = a[2]->items[d];
    const PickleValue* stride = a[3]->items[d];
    if (!size->is(Kind::Int) || !stride->is(Kind::Int) || size->integer < 0 || size->integer > kLimit ||
        stride->integer < 0 || stride->integer > kLimit) {
      fail("a tensor with a bad size or stride");
    }
    t->tensor.sizes.push_back(size->integer);
    t->tensor.strides.push_back(stride->integer);
    if (size->integer == 0) empty = true;
    else last += (size->integer - 1) * stride->integer;
  }
  if (t->tensor.offset < 0 || t->tensor.offset > kLimit) fail("a tensor with a bad storage offset");
  if (!empty && last >= t->tensor.storageNumel) {
    fail("a tensor reaches element " + std::to_string(last) + " of storage '" + t->tensor.storageKey +
         "', which holds " + std::to_string(t->tensor.storageNumel));
  }
  return t;
}

// ('storage', torch.<Dtype>Storage, key, location, numel[, view_metadata]).
PickleReader::Value PickleReader::persistentLoad(Value pid) {
  const auto& p = pid->items;
  if (!pid->is(Kind::Tuple) || p.size() < 5 || !p[0]->is(Kind::String) || p[0]->text != "storage" ||
      !p[1]->is(Kind::Global) || !p[2]->is(Kind::String) || !p[4]->is(Kind::Int)) {
    fail("a persistent id that is not a tensor storage");
  }
  if (p.size() > 5 && !p[5]->is(Kind::None)) fail("storage views (view_metadata) are not supported");
  const std::string& cls = p[1]->text;  // "torch.FloatStorage"
  Value s = make(Kind::Storage);
  s->tensor.dtype = cls.substr(6, cls.size() - 6 - 7);
  s->tensor.storageKey = p[2]->text;
  s->tensor.storageNumel = p[4]->integer;
  if (s->tensor.storageNumel < 0 || storageElementSize(s->tensor.dtype) == 0) fail("a bad storage");
  return s;
}

void PickleReader::setItems(Value dict, const std::vector<Value>& flat) {
  if (!dict->is(Kind::Dict)) fail("malformed pickle (SETITEM on a " + std::string(kindName(dict->kind)) + ")");
  if (flat.size() % 2 != 0) fail("malformed pickle (odd SETITEMS)");
  for (size_t i = 0; i < flat.size(); i += 2) dict->entries.emplace_back(flat[i], flat[i + 1]);
}

void PickleReader::execute(uint8_t op) {
  switch (op) {
    case 0x80: byte(); return;                        // PROTO
    case 0x95: little(8); return;                     // FRAME: a size hint
    case '(': marks_.push_back(std::move(stack_)); stack_.clear(); return;  // MARK
    case '.': stopped_ = true; return;                // STOP
    case 'N': push(make(Kind::None)); return;
    case 0x88: case 0x89: {                           // NEWTRUE, NEWFALSE
      Value b = make(Kind::Bool);
      b->boolean = op == 0x88;
      push(b);
      return;
    }
    case 'J': push(makeInt(static_cast<int32_t>(little(4)))); return;  // BININT
    case 'K': push(makeInt(static_cast<int64_t>(little(1)))); return;  // BININT1
    case 'M': push(makeInt(static_cast<int64_t>(little(2)))); return;  // BININT2
    case 0x8a: case 0x8b: {                           // LONG1, LONG4: little-endian two's complement
      const uint64_t n = op == 0x8a ? little(1) : little(4);
      if (n > 8) {
        // Python's big ints: only the legacy magic number is this long; keep its low bits.
        const uint8_t* p = take(n);
        uint64_t v = 0;
        for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
        push(makeInt(static_cast<int64_t>(v)));
        return;
      }
      uint64_t v = n == 0 ? 0 : little(n);
      if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
      push(makeInt(static_cast<int64_t>(v)));
      return;
    }
    case 'G': {                                       // BINFLOAT: big-endian double
      const uint8_t* p = take(8);
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
      Value f = make(Kind::Float);
      std::memcpy(&f->real, &bits, sizeof bits);
      push(f);
      return;
    }
    case 'X': push(makeText(Kind::String, text(little(4)))); return;   // BINUNICODE
    case 0x8c: push(makeText(Kind::String, text(little(1)))); return;  // SHORT_BINUNICODE
    case 0x8d: push(makeText(Kind::String, text(little(8)))); return;  // BINUNICODE8
    case 'T': push(makeText(Kind::String, text(little(4)))); return;   // BINSTRING (Python 2)
    case 'U': push(makeText(Kind::String, text(little(1)))); return;   // SHORT_BINSTRING
    case 'B': push(makeText(Kind::Bytes, text(little(4)))); return;    // BINBYTES
    case 'C': push(makeText(Kind::Bytes, text(little(1)))); return;    // SHORT_BINBYTES
    case ']': push(make(Kind::List)); return;
    case '}': push(make(Kind::Dict)); return;
    case ')': push(make(Kind::Tuple)); return;
    case 'a': {                                       // APPEND
      Value v = pop();
      Value list = top();
      if (!list->is(Kind::List)) fail("malformed pickle (APPEND to a non-list)");
      list->items.push_back(v);
      return;
    }
    case 'e': {                                       // APPENDS
      std::vector<Value> items = popToMark();
      Value list = top();
      if (!list->is(Kind::List)) fail("malformed pickle (APPENDS to a non-list)");
      list->items.insert(list->items.end(), items.begin(), items.end());
      return;
    }
    case 's': {                                       // SETITEM
      Value value = pop();
      Value key = pop();
      setItems(top(), {key, value});
      return;
    }
    case 'u': {                                       // SETITEMS
      std::vector<Value> flat = popToMark();
      setItems(top(), flat);
      return;
    }
    case 't': push(makeSequence(Kind::Tuple, popToMark())); return;    // TUPLE
    case 0x85: case 0x86: case 0x87: {                // TUPLE1..3
      std::vector<Value> items(static_cast<size_t>(op - 0x84));
      for (size_t i = items.size(); i-- > 0;) items[i] = pop();
      push(makeSequence(Kind::Tuple, std::move(items)));
      return;
    }
    case 'c': {                                       // GLOBAL "module\nname\n"
      auto line = [&] {
        std::string s;
        for (char ch; (ch = static_cast<char>(byte())) != '\n';) {
          if (s.size() > 200) fail("malformed pickle (GLOBAL name too long)");
          s += ch;
        }
        return s;
      };
      const std::string module = line();
      const std::string name = line();
      push(global(module, name));
      return;
    }
    case 0x93: {                                      // STACK_GLOBAL
      Value name = pop();
      Value module = pop();
      if (!name->is(Kind::String) || !module->is(Kind::String)) fail("malformed pickle (STACK_GLOBAL)");
      push(global(module->text, name->text));
      return;
    }
    case 'R': case 0x81: {                            // REDUCE, NEWOBJ
      Value args = pop();
      Value callable = pop();
      push(reduce(callable, args));
      return;
    }
    case 'b': {                                       // BUILD: only an OrderedDict's attributes
      pop();  // the state
      if (!top()->is(Kind::Dict)) fail("malformed pickle (BUILD on a " + std::string(kindName(top()->kind)) + ")");
      return;  // _metadata (module versions) is not needed to read the tensors
    }
    case 'Q': push(persistentLoad(pop())); return;    // BINPERSID
    case 'q': memoise(little(1)); return;             // BINPUT
    case 'r': memoise(little(4)); return;             // LONG_BINPUT
    case 0x94: memoise(memo_.size()); return;         // MEMOIZE
    case 'h': push(recall(little(1))); return;        // BINGET
    case 'j': push(recall(little(4))); return;        // LONG_BINGET
    case '0': pop(); return;                          // POP
    case '1': popToMark(); return;                    // POP_MARK
    case '2': push(top()); return;                    // DUP
    default: break;
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", op);
  --pos_;
  fail(std::string("unsupported pickle opcode ") + hex);
}

}  // namespace sn
