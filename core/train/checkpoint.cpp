#include "core/train/checkpoint.h"

#include <torch/torch.h>

#include <filesystem>
#include <map>

#include "core/pytorch_io/zip_integrity.h"
#include "core/supernet/supernet.h"
#include "core/util/atomic_file.h"
#include "core/util/file_sink.h"
#include "core/util/first_line.h"
#include "core/util/input_error.h"
#include "core/util/shape_text.h"

namespace sn {
namespace {

constexpr int64_t kFormatVersion = 1;

using TensorShapes = std::map<std::string, std::pair<std::vector<int64_t>, c10::ScalarType>>;

TensorShapes shapesOf(const SupernetImpl& net) {
  TensorShapes shapes;
  for (const auto& p : net.named_parameters()) shapes[p.key()] = {p.value().sizes().vec(), p.value().scalar_type()};
  for (const auto& b : net.named_buffers()) shapes[b.key()] = {b.value().sizes().vec(), b.value().scalar_type()};
  return shapes;
}

// torch's Module::load replaces each tensor with the stored one whatever its shape or type,
// so a damaged or foreign file would load "fine" and fail later, far from its cause.
void requireShapes(const std::string& path, const TensorShapes& built, const SupernetImpl& net) {
  for (const auto& [name, loaded] : shapesOf(net)) {
    const auto& want = built.at(name);
    if (loaded != want) {
      throw InputError(path + ": checkpoint tensor '" + name + "' is " +
                       c10::toString(loaded.second) + " " + shapeText(loaded.first) +
                       ", the network has " + c10::toString(want.second) + " " +
                       shapeText(want.first));
    }
  }
}

}  // namespace

void saveCheckpoint(const std::string& path, SupernetImpl& net, torch::optim::Optimizer& optimizer,
                    const CheckpointMeta& meta) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model, optim;
  net.save(model);
  optimizer.save(optim);
  archive.write("model", model);
  archive.write("optimizer", optim);
  archive.write("format_version", c10::IValue(kFormatVersion));
  archive.write("step", c10::IValue(meta.step));
  archive.write("epoch", c10::IValue(meta.epoch));
  archive.write("seed", c10::IValue(static_cast<int64_t>(meta.seed)));
  archive.write("space", c10::IValue(meta.space));
  archive.write("pending_sums", torch::tensor(meta.pendingSums, torch::kFloat64));
  archive.write("pending_steps", c10::IValue(meta.pendingSteps));
  archive.write("last_flush_step", c10::IValue(meta.lastFlushStep));
  if (!meta.methodState.empty()) archive.write("method_state", c10::IValue(meta.methodState));
  writeFileAtomically(path, [&](const std::string& temp) {
    FileSink sink(temp);
    archive.save_to([&sink](const void* data, size_t n) { return sink.write(data, n); });
    sink.close();
  });
}

CheckpointMeta loadCheckpoint(const std::string& path, SupernetImpl& net,
                              torch::optim::Optimizer* optimizer) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": checkpoint not found");
  // LibTorch's TorchScript importer parses type names and code from the file and can crash on
  // a damaged one (a flipped bit: found by the fuzzer), so the CRCs are checked first.
  requireZipIntact(path, "checkpoint");
  CheckpointMeta meta;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    c10::IValue value;
    archive.read("format_version", value);
    if (value.toInt() > kFormatVersion) {
      throw InputError(path + ": checkpoint format " + std::to_string(value.toInt()) +
                       " is newer than this build reads");
    }
    archive.read("space", value);
    meta.space = value.toStringRef();
    if (meta.space != net.space().name) {
      throw InputError(path + ": checkpoint is of space '" + meta.space + "', not '" +
                       net.space().name + "'");
    }
    archive.read("step", value);
    meta.step = value.toInt();
    archive.read("epoch", value);
    meta.epoch = value.toInt();
    archive.read("seed", value);
    meta.seed = static_cast<uint64_t>(value.toInt());
    torch::Tensor sums;
    archive.read("pending_sums", sums);
    // Contiguous first: a stored view's numel need not match the storage it points into.
    sums = sums.to(torch::kFloat64).contiguous();
    meta.pendingSums.assign(sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel());
    archive.read("pending_steps", value);
    meta.pendingSteps = value.toInt();
    archive.read("last_flush_step", value);
    meta.lastFlushStep = value.toInt();
    // Written by sampling methods with state (attentive, complexity-shifted); older files have none.
    if (archive.try_read("method_state", value)) meta.methodState = value.toStringRef();
    torch::serialize::InputArchive model;
    archive.read("model", model);
    const TensorShapes built = shapesOf(net);
    net.load(model);
    requireShapes(path, built, net);
    if (optimizer) {
      torch::serialize::InputArchive optim;
      archive.read("optimizer", optim);
      optimizer->load(optim);
    }
  } catch (const InputError&) {
    throw;
  } catch (const c10::Error& e) {
    throw InputError(path + ": checkpoint is corrupt or unreadable (" + e.what_without_backtrace() +
                     ")");
  } catch (const std::exception& e) {
    // TorchScript's importer throws its own ErrorReport (not a c10::Error) for a damaged
    // type name; uncaught it ended the process (found by the fuzzer).
    throw InputError(path + ": checkpoint is corrupt or unreadable (" + firstLine(e.what()) + ")");
  }
  return meta;
}

}  // namespace sn
