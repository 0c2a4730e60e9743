#include "core/train/method_budget.h"

#include "core/train/train_recipe.h"

namespace sn {

double expectedPassesPerStep(const TrainRecipe& r) {
  const MethodSpec& m = r.method;
  const double sandwich = 2.0 + r.subnetsPerStep;
  if (m.name == "uniform") return m.uniform.subnets;
  if (m.name == "progressive-shrinking") {
    const ProgressiveShrinkingSpec& p = m.progressiveShrinking;
    const double total = p.largestEpochs < 0 ? 4.0 : p.largestEpochs + p.kernelEpochs + p.depthEpochs + p.expandEpochs;
    const double largest = p.largestEpochs < 0 ? 1.0 / 4 : p.largestEpochs / total;
    return largest * 1.0 + (1 - largest) * (1.0 / 3 + p.subnetsPerStep);
  }
  if (m.name == "attentive") {
    // The loss criterion forwards every candidate; the predictor only until it is fitted
    // (the first epoch, at most), not counted here.
    const double scoring = m.attentive.criterion == "loss" ? r.subnetsPerStep * m.attentive.candidates / 3.0 : 0.0;
    return sandwich + scoring;
  }
  if (m.name == "delayed-shrinking") {
    const double s = m.delayedShrinking.switchFraction;
    return s * 1.0 + (1 - s) * sandwich;
  }
  return sandwich;  // sandwich, complexity-shifted
}

}  // namespace sn
