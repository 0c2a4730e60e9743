#include "core/train/weight_transfer.h"

#include <torch/torch.h>

#include <filesystem>

#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"

namespace sn {

namespace {

bool isStem(const std::string& name) { return name.rfind("stem_conv.", 0) == 0; }
bool isHead(const std::string& name) { return name.rfind("classifier.", 0) == 0; }

// A stem filter bank [out, in, k, k] (or its mask) for `channels` inputs.
at::Tensor adaptStem(const at::Tensor& w, int64_t channels, std::string& how) {
  if (w.size(1) == channels) {
    how = "kept";
    return w;
  }
  if (w.size(1) == 3 && channels == 1) {
    how = "RGB filters summed to grey";
    return w.sum(1, true);
  }
  if (w.size(1) == 1 && channels == 3) {
    how = "grey filter repeated on R, G, B and divided by 3";
    return w.repeat({1, 3, 1, 1}) / 3.0;
  }
  throw InputError("cannot adapt a stem of " + std::to_string(w.size(1)) + " input channels to " +
                   std::to_string(channels) + " (only 1 <-> 3)");
}

}  // namespace

std::string TransferOutcome::text() const {
  return std::to_string(copied) + " tensors copied; stem " + stem + "; classifier " + head;
}

TransferOutcome transferWeights(SupernetImpl& target, const InitFrom& from) {
  if (!std::filesystem::is_regular_file(from.checkpoint)) {
    throw InputError(from.checkpoint + ": the source checkpoint of " + from.describe() + " is gone");
  }
  if (sha256File(from.checkpoint) != from.sha256) {
    throw InputError(from.checkpoint + ": changed since this run was made from it (SHA-256 "
                     "differs); make the run again");
  }
  Supernet source(target.space(), from.shape);
  loadCheckpoint(from.checkpoint, *source, nullptr);
  const int64_t channels = target.stemConv->weight.size(1);
  const int64_t classes = target.classifier->weight.size(0);
  if (from.head == "keep" && classes != from.shape.classes) {
    throw InputError(from.checkpoint + ": --head keep needs the source's " +
                     std::to_string(from.shape.classes) + " classes, this data has " +
                     std::to_string(classes) + "; use --head reset");
  }
  TransferOutcome out;
  out.head = from.head == "keep" ? "kept" : "reset (" + std::to_string(classes) + " classes)";
  torch::NoGradGuard noGrad;
  auto sourceTensors = source->named_parameters(true);
  for (const auto& b : source->named_buffers(true)) sourceTensors.insert(b.key(), b.value());
  auto copyInto = [&](const std::string& name, at::Tensor& dst) {
    const at::Tensor* src = sourceTensors.find(name);
    if (!src || (isHead(name) && from.head == "reset")) return;
    at::Tensor value = isStem(name) ? adaptStem(*src, channels, out.stem) : *src;
    // A pruning mask stays 0/1: a grey filter is alive where any of its RGB filters was.
    if (isStem(name) && name.size() > 5 && name.substr(name.size() - 5) == ".mask") {
      value = (value > 0).to(src->scalar_type());
    }
    if (value.sizes() != dst.sizes()) {
      throw InputError(from.checkpoint + ": " + name + " has shape " + c10::str(value.sizes()) +
                       ", this supernet's is " + c10::str(dst.sizes()));
    }
    dst.copy_(value);
    ++out.copied;
  };
  for (auto& p : target.named_parameters(true)) copyInto(p.key(), p.value());
  for (auto& b : target.named_buffers(true)) copyInto(b.key(), b.value());
  return out;
}

}  // namespace sn
