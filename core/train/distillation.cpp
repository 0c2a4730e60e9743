#include "core/train/distillation.h"

#include <torch/torch.h>

#include <cmath>

namespace sn {
namespace {

at::Tensor klDivergence(const at::Tensor& p, const at::Tensor& logP, const at::Tensor& logQ) {
  return (p * (logP - logQ)).sum(1).mean();
}

}  // namespace

at::Tensor smoothedCrossEntropy(const at::Tensor& logits, const at::Tensor& labels,
                                double smoothing) {
  const at::Tensor logProbs = torch::log_softmax(logits, 1);
  const at::Tensor nll = -logProbs.gather(1, labels.unsqueeze(1)).squeeze(1);
  if (smoothing <= 0) return nll.mean();
  const at::Tensor uniform = -logProbs.mean(1);
  return ((1.0 - smoothing) * nll + smoothing * uniform).mean();
}

at::Tensor alphaDivergence(const at::Tensor& p, const at::Tensor& studentLogits, double alpha) {
  const at::Tensor logQ = torch::log_softmax(studentLogits, 1);
  const at::Tensor logP = torch::log(p.clamp_min(1e-8));
  if (std::abs(alpha - 1.0) < 1e-6) return klDivergence(p, logP, logQ);
  if (std::abs(alpha) < 1e-6) return klDivergence(logQ.exp(), logQ, logP);
  // sum_i p^a q^(1-a), in log space for stability.
  const at::Tensor mix = torch::logsumexp(alpha * logP + (1.0 - alpha) * logQ, 1).exp();
  return ((mix - 1.0) / (alpha * (alpha - 1.0))).mean();
}

at::Tensor distillationLoss(const at::Tensor& studentLogits, const at::Tensor& teacherProbs,
                            const DistillationSpec& spec) {
  if (spec.kind == "alpha") {
    return torch::max(alphaDivergence(teacherProbs, studentLogits, spec.alphaMin),
                      alphaDivergence(teacherProbs, studentLogits, spec.alphaMax));
  }
  const at::Tensor logQ = torch::log_softmax(studentLogits, 1);
  return klDivergence(teacherProbs, torch::log(teacherProbs.clamp_min(1e-8)), logQ);
}

}  // namespace sn
