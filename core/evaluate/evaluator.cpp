#include "core/evaluate/evaluator.h"

#include <torch/torch.h>

#include "core/util/cancelled.h"

namespace sn {
namespace {

void tick(const JobControl* job, const char* phase, int done, int total) {
  if (job) job->tick(phase, done, total);
}

}  // namespace

void Evaluator::recalibrateBn(SupernetImpl& net, const Arch& arch,
                              const JobControl* job) const {
  torch::NoGradGuard noGrad;
  net.setActive(arch);
  net.train();
  net.beginBnRecalibration();
  const int64_t n = train_.data().size();
  const int64_t batch = std::min<int64_t>(options_.recalBatchSize, n);
  // A fixed sample order: the same subnet gets the same statistics every time.
  const at::Tensor order = BatchLoader::epochOrder(n, options_.seed ^ 0x5EEDULL, 0);
  try {
    for (int i = 0; i < options_.recalBatches; ++i) {
      tick(job, "recalibrate", i, options_.recalBatches);
      const int64_t start =
          (static_cast<int64_t>(i) * batch) % std::max<int64_t>(n - batch + 1, 1);
      net.forward(train_.get(order.narrow(0, start, batch), AugmentSpec{}).images);
    }
  } catch (const Cancelled&) {
    net.endBnRecalibration();
    throw;
  }
  net.endBnRecalibration();
  net.eval();
}

double Evaluator::testAccuracy(SupernetImpl& net, const JobControl* job) const {
  torch::NoGradGuard noGrad;
  net.eval();
  const int64_t n = test_.data().size();
  const int batches = static_cast<int>((n + options_.batchSize - 1) / options_.batchSize);
  at::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(
                                            test_.data().images.device()));
  for (int i = 0; i < batches; ++i) {
    tick(job, "evaluate", i, batches);
    const int64_t start = static_cast<int64_t>(i) * options_.batchSize;
    const Batch b = test_.range(start, std::min<int64_t>(options_.batchSize, n - start));
    correct += (net.forward(b.images).argmax(1) == b.labels).sum();
  }
  return n == 0 ? 0.0 : static_cast<double>(correct.item<int64_t>()) / static_cast<double>(n);
}

double Evaluator::accuracy(SupernetImpl& net, const Arch& arch,
                           const JobControl* job) const {
  recalibrateBn(net, arch, job);
  return testAccuracy(net, job);
}

}  // namespace sn
