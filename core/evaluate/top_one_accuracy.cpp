#include "core/evaluate/top_one_accuracy.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "core/data/batch_loader.h"
#include "core/util/cancelled.h"

namespace sn {

double topOneAccuracy(const std::function<at::Tensor(const at::Tensor&)>& logits, const BatchLoader& test,
                      int64_t batch, const std::atomic<bool>* stop) {
  const int64_t total = test.data().size();
  int64_t correct = 0;
  for (int64_t start = 0; start < total; start += batch) {
    if (stop && stop->load()) throw Cancelled();
    const Batch b = test.range(start, std::min(batch, total - start));
    correct += logits(b.images).argmax(1).eq(b.labels.to(at::kCPU)).sum().item<int64_t>();
  }
  return total ? static_cast<double>(correct) / static_cast<double>(total) : 0.0;
}

}  // namespace sn
