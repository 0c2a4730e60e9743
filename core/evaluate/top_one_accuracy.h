#pragma once
#include <ATen/core/Tensor.h>
#include <atomic>
#include <cstdint>
#include <functional>

namespace sn {

class BatchLoader;

// Top-1 of any model given as a logits function, over the whole split in order, `batch`
// images at a time: how an exported file or a fine-tuned subnet is scored the same way.
// Throws Cancelled when `stop` is set.
double topOneAccuracy(const std::function<at::Tensor(const at::Tensor&)>& logits, const BatchLoader& test,
                      int64_t batch, const std::atomic<bool>* stop = nullptr);

}  // namespace sn
