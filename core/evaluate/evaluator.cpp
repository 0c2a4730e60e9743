#include "core/evaluate/evaluator.h"

#include <torch/torch.h>

namespace sn {

void Evaluator::recalibrateBn(SupernetImpl& net, const Arch& arch) const {
  torch::NoGradGuard noGrad;
  net.setActive(arch);
  net.train();
  net.beginBnRecalibration();
  const int64_t n = train_.data().size();
  const int64_t batch = std::min<int64_t>(options_.recalBatchSize, n);
  // A fixed sample order: the same subnet gets the same statistics every time.
  const at::Tensor order = BatchLoader::epochOrder(n, options_.seed ^ 0x5EEDULL, 0);
  for (int i = 0; i < options_.recalBatches; ++i) {
    const int64_t start = (static_cast<int64_t>(i) * batch) % std::max<int64_t>(n - batch + 1, 1);
    net.forward(train_.get(order.narrow(0, start, batch), AugmentSpec{}).images);
  }
  net.endBnRecalibration();
  net.eval();
}

double Evaluator::testAccuracy(SupernetImpl& net) const {
  torch::NoGradGuard noGrad;
  net.eval();
  const int64_t n = test_.data().size();
  at::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(
                                            test_.data().images.device()));
  for (int64_t start = 0; start < n; start += options_.batchSize) {
    const Batch b = test_.range(start, std::min<int64_t>(options_.batchSize, n - start));
    correct += (net.forward(b.images).argmax(1) == b.labels).sum();
  }
  return n == 0 ? 0.0 : static_cast<double>(correct.item<int64_t>()) / static_cast<double>(n);
}

double Evaluator::accuracy(SupernetImpl& net, const Arch& arch) const {
  recalibrateBn(net, arch);
  return testAccuracy(net);
}

}  // namespace sn
