#include "core/train/checkpoint.h"

#include <torch/torch.h>

#include <filesystem>

#include "core/supernet/supernet.h"
#include "core/util/atomic_file.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

constexpr int64_t kFormatVersion = 1;

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
  writeFileAtomically(path, [&](const std::string& temp) { archive.save_to(temp); });
}

CheckpointMeta loadCheckpoint(const std::string& path, SupernetImpl& net,
                              torch::optim::Optimizer* optimizer) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": checkpoint not found");
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
    meta.pendingSums.assign(sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel());
    archive.read("pending_steps", value);
    meta.pendingSteps = value.toInt();
    archive.read("last_flush_step", value);
    meta.lastFlushStep = value.toInt();
    torch::serialize::InputArchive model;
    archive.read("model", model);
    net.load(model);
    if (optimizer) {
      torch::serialize::InputArchive optim;
      archive.read("optimizer", optim);
      optimizer->load(optim);
    }
  } catch (const c10::Error& e) {
    throw InputError(path + ": checkpoint is corrupt or unreadable (" + e.what_without_backtrace() +
                     ")");
  }
  return meta;
}

}  // namespace sn
