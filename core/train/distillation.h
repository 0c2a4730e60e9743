#pragma once
#include <ATen/core/Tensor.h>

#include "core/train/train_recipe.h"

namespace sn {

// Cross-entropy against labels smoothed by `smoothing` (uniform over the classes).
at::Tensor smoothedCrossEntropy(const at::Tensor& logits, const at::Tensor& labels,
                                double smoothing);

// In-place distillation loss of a student against the largest subnet's soft predictions
// (`teacherProbs`, detached). kl: KL(teacher || student). alpha: AlphaNet's adaptive
// alpha-divergence, the larger of D_alphaMin and D_alphaMax.
at::Tensor distillationLoss(const at::Tensor& studentLogits, const at::Tensor& teacherProbs,
                            const DistillationSpec& spec);

// Amari alpha-divergence D_alpha(p || q), batch mean; alpha 1 is KL(p||q), 0 is KL(q||p).
at::Tensor alphaDivergence(const at::Tensor& teacherProbs, const at::Tensor& studentLogits,
                           double alpha);

}  // namespace sn
