#include "core/pytorch_io/torch_checkpoint.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "core/pytorch_io/pickle_reader.h"
#include "core/util/atomic_file.h"
#include "core/util/file_sink.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

using Kind = PickleValue::Kind;

// The low 64 bits of torch.serialization's MAGIC_NUMBER 0x1950a86a20f9469cfc6c.
constexpr uint64_t kLegacyMagic = 0xa86a20f9469cfc6cULL;
constexpr int64_t kLegacyProtocol = 1001;

at::ScalarType scalarTypeOf(const std::string& dtype) {
  static const std::map<std::string, at::ScalarType> types = {
      {"Float", at::kFloat}, {"Half", at::kHalf},   {"BFloat16", at::kBFloat16}, {"Double", at::kDouble},
      {"Long", at::kLong},   {"Int", at::kInt},     {"Short", at::kShort},       {"Char", at::kChar},
      {"Byte", at::kByte},   {"Bool", at::kBool}};
  return types.at(dtype);  // PickleReader admits only these
}

// Every tensor the object refers to, each node visited once (a pickle can share and even
// nest objects through its memo).
void collectTensors(const PickleValue* v, std::set<const PickleValue*>& seen,
                    std::vector<const TensorRef*>& out) {
  if (!v || !seen.insert(v).second) return;
  if (v->is(Kind::Tensor)) out.push_back(&v->tensor);
  for (const auto& item : v->items) collectTensors(item, seen, out);
  for (const auto& [key, value] : v->entries) {
    collectTensors(key, seen, out);
    collectTensors(value, seen, out);
  }
}

std::vector<const TensorRef*> tensorsOf(const PickleRef& root) {
  std::set<const PickleValue*> seen;
  std::vector<const TensorRef*> out;
  collectTensors(root.get(), seen, out);
  return out;
}

// The storage bytes for each key, checked to hold what the pickle says.
using StorageBytes = std::function<const uint8_t*(const std::string& key, size_t bytes)>;

at::Tensor buildTensor(const TensorRef& t, std::map<std::string, at::Tensor>& storages,
                       const StorageBytes& bytesOf) {
  auto it = storages.find(t.storageKey);
  if (it == storages.end()) {
    const at::ScalarType type = scalarTypeOf(t.dtype);
    at::Tensor storage = at::empty({t.storageNumel}, at::TensorOptions().dtype(type));
    const size_t bytes = static_cast<size_t>(t.storageNumel) * static_cast<size_t>(storageElementSize(t.dtype));
    if (bytes > 0) std::memcpy(storage.data_ptr(), bytesOf(t.storageKey, bytes), bytes);
    it = storages.emplace(t.storageKey, storage).first;
  } else if (it->second.scalar_type() != scalarTypeOf(t.dtype)) {
    throw InputError("storage '" + t.storageKey + "' is read as two different types");
  }
  return it->second.as_strided(t.sizes, t.strides, t.offset);
}

// {"state_dict": ...} and {"model": ...} (training scripts' layouts) or the dict itself.
const PickleValue* stateDictOf(const PickleRef& root, const std::string& path) {
  if (!root->is(Kind::Dict)) {
    throw InputError(path + ": holds a " + std::string(root->is(Kind::List) ? "list" : "non-dict value") +
                     ", not a state_dict");
  }
  for (const char* key : {"state_dict", "model"}) {
    const PickleValue* inner = root->find(key);
    if (inner && inner->is(Kind::Dict)) return inner;
  }
  return root.get();
}

TorchStateDict toStateDict(const PickleRef& root, const std::string& path,
                           std::map<std::string, at::Tensor>& storages, const StorageBytes& bytesOf) {
  TorchStateDict result;
  std::set<std::string> names;
  for (const auto& [key, value] : stateDictOf(root, path)->entries) {
    if (!key->is(Kind::String)) throw InputError(path + ": a state_dict key that is not a string");
    if (!value->is(Kind::Tensor)) {
      throw InputError(path + ": entry '" + key->text + "' is not a tensor; is this a state_dict?");
    }
    if (!names.insert(key->text).second) throw InputError(path + ": entry '" + key->text + "' twice");
    result.entries.emplace_back(key->text, buildTensor(value->tensor, storages, bytesOf));
  }
  if (result.entries.empty()) throw InputError(path + ": the state_dict holds no tensors");
  const std::string prefix = "module.";
  bool prefixed = true;
  for (const auto& e : result.entries) prefixed = prefixed && e.first.rfind(prefix, 0) == 0;
  if (prefixed) {
    for (auto& e : result.entries) e.first.erase(0, prefix.size());
  }
  return result;
}

std::vector<uint8_t> readWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be read");
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TorchStateDict readZip(const std::string& path) {
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
  try {
    zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (const c10::Error& e) {
    throw InputError(path + ": not a readable torch.save zip file (truncated or damaged)");
  }
  if (!zip->hasRecord("data.pkl")) {
    throw InputError(path + ": a zip file without data.pkl; not a torch.save checkpoint");
  }
  auto [pickleData, pickleSize] = zip->getRecord("data.pkl");
  PickleReader reader(static_cast<const uint8_t*>(pickleData.get()), pickleSize, path);
  const PickleRef root = reader.next();
  std::map<std::string, std::tuple<at::DataPtr, size_t>> records;
  const StorageBytes bytesOf = [&](const std::string& key, size_t bytes) {
    const std::string name = "data/" + key;
    if (!zip->hasRecord(name)) throw InputError(path + ": storage record '" + name + "' is missing");
    auto& record = records[key] = zip->getRecord(name);
    if (std::get<1>(record) < bytes) {
      throw InputError(path + ": storage '" + key + "' holds " + std::to_string(std::get<1>(record)) +
                       " bytes, its tensors need " + std::to_string(bytes));
    }
    return static_cast<const uint8_t*>(std::get<0>(record).get());
  };
  std::map<std::string, at::Tensor> storages;
  TorchStateDict result = toStateDict(root, path, storages, bytesOf);
  result.format = "zip";
  return result;
}

TorchStateDict readLegacy(const std::string& path, const std::vector<uint8_t>& file) {
  PickleReader reader(file.data(), file.size(), path);
  const PickleRef magic = reader.next();
  if (!magic->is(Kind::Int) || static_cast<uint64_t>(magic->integer) != kLegacyMagic) {
    throw InputError(path + ": not a torch.save file (no PyTorch magic number)");
  }
  const PickleRef protocol = reader.next();
  if (!protocol->is(Kind::Int) || protocol->integer != kLegacyProtocol) {
    throw InputError(path + ": legacy torch.save protocol " +
                     std::to_string(protocol->is(Kind::Int) ? protocol->integer : -1) + " is not supported");
  }
  const PickleRef sysInfo = reader.next();
  const PickleValue* little = sysInfo->is(Kind::Dict) ? sysInfo->find("little_endian") : nullptr;
  if (!little || !little->is(Kind::Bool) || !little->boolean) {
    throw InputError(path + ": written on a big-endian machine (not supported)");
  }
  const PickleRef root = reader.next();
  const PickleRef keys = reader.next();
  if (!keys->is(Kind::List)) throw InputError(path + ": malformed legacy checkpoint (no storage key list)");

  // The raw storages follow in the order of the key list: an int64 element count, the bytes.
  std::map<std::string, std::string> dtypeOf;
  for (const TensorRef* t : tensorsOf(root)) dtypeOf[t->storageKey] = t->dtype;
  std::map<std::string, std::pair<size_t, size_t>> spans;  // key -> (offset, bytes)
  size_t pos = reader.position();
  for (const PickleValue* key : keys->items) {
    if (!key->is(Kind::String)) throw InputError(path + ": malformed legacy checkpoint (a storage key)");
    const auto type = dtypeOf.find(key->text);
    if (type == dtypeOf.end()) throw InputError(path + ": storage '" + key->text + "' is used by no tensor");
    if (file.size() - pos < 8) throw InputError(path + ": truncated (storage '" + key->text + "' is missing)");
    int64_t numel = 0;
    std::memcpy(&numel, file.data() + pos, 8);
    pos += 8;
    const auto elem = static_cast<uint64_t>(storageElementSize(type->second));
    if (numel < 0 || static_cast<uint64_t>(numel) > (file.size() - pos) / elem) {
      throw InputError(path + ": truncated (storage '" + key->text + "' needs " + std::to_string(numel) +
                       " elements past the end of the file)");
    }
    spans[key->text] = {pos, static_cast<size_t>(numel) * elem};
    pos += static_cast<size_t>(numel) * elem;
  }
  const StorageBytes bytesOf = [&](const std::string& key, size_t bytes) {
    const auto it = spans.find(key);
    if (it == spans.end()) throw InputError(path + ": storage '" + key + "' is not in the file");
    if (it->second.second < bytes) {
      throw InputError(path + ": storage '" + key + "' holds " + std::to_string(it->second.second) +
                       " bytes, its tensors need " + std::to_string(bytes));
    }
    return file.data() + it->second.first;
  };
  std::map<std::string, at::Tensor> storages;
  TorchStateDict result = toStateDict(root, path, storages, bytesOf);
  result.format = "legacy";
  return result;
}

}  // namespace

const at::Tensor* TorchStateDict::find(const std::string& name) const {
  for (const auto& e : entries) {
    if (e.first == name) return &e.second;
  }
  return nullptr;
}

TorchStateDict readTorchStateDict(const std::string& path) {
  const std::vector<uint8_t> file = readWhole(path);
  if (file.size() >= 4 && std::memcmp(file.data(), "PK\x03\x04", 4) == 0) return readZip(path);
  if (file.size() >= 2 && file[0] == 0x80) return readLegacy(path, file);
  throw InputError(path + ": not a PyTorch checkpoint (neither a torch.save zip nor a legacy file)");
}

void writeTorchStateDict(const std::string& path,
                         const std::vector<std::pair<std::string, at::Tensor>>& entries,
                         const std::string& wrapKey) {
  c10::Dict<std::string, at::Tensor> dict;
  // A clone owns exactly its elements: a view would write its whole storage.
  for (const auto& [name, t] : entries) dict.insert(name, t.to(at::kCPU).clone(at::MemoryFormat::Contiguous));
  c10::IValue value(dict);
  if (!wrapKey.empty()) {
    c10::impl::GenericDict outer(c10::StringType::get(), c10::AnyType::get());
    outer.insert(wrapKey, value);
    value = c10::IValue(outer);
  }
  const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
  if (!std::filesystem::is_directory(parent)) throw InputError(path + ": cannot be written (no folder " + parent.string() + ")");
  const std::vector<char> bytes = torch::pickle_save(value);
  writeFileAtomically(path, [&](const std::string& temp) {
    FileSink::writeAll(temp, std::string_view(bytes.data(), bytes.size()));
  });
}

}  // namespace sn
