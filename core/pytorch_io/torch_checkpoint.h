#pragma once
#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace sn {

// A state_dict read from a torch.save file: names and tensors in the file's order.
struct TorchStateDict {
  std::vector<std::pair<std::string, at::Tensor>> entries;
  std::string format;  // "zip" or "legacy"
  const at::Tensor* find(const std::string& name) const;
};

// Reads what Python's torch.save writes, without Python: the zip format (PyTorch >= 1.6)
// and the legacy one (a pickle stream with magic number, protocol, system info, the object,
// the storage keys, then raw storages). The state_dict is the top-level dict, or the one
// under "state_dict" or "model"; a DataParallel "module." prefix is removed. Nothing in the
// file is run (PickleReader). InputError naming the file: not a checkpoint, truncated, a
// global that is not allowed, a storage shorter than its tensors, an entry not a tensor.
TorchStateDict readTorchStateDict(const std::string& path);

// Writes `entries` as a torch.save zip file that Python's torch.load reads, as a dict of
// tensors, or as {wrapKey: that dict} when wrapKey is not empty. Atomic (temporary file,
// rename).
void writeTorchStateDict(const std::string& path,
                         const std::vector<std::pair<std::string, at::Tensor>>& entries,
                         const std::string& wrapKey = {});

}  // namespace sn
