// kernels/: each fused op against its ATen reference on CPU (the fused path's host loop runs
// the CUDA kernels' per-element code), and a training step on the fused path against one on
// the reference path; the trainer's device-side gradient clipping against LibTorch's. The
// CUDA launches themselves need a GPU: `supernet-cli selftest`.
#include <QtTest>
#include <torch/torch.h>

#include "core/data/batch_loader.h"
#include "core/data/dataset_pair.h"
#include "core/data/dataset_spec.h"
#include "core/space/presets.h"
#include "core/supernet/supernet.h"
#include "core/train/grad_clip.h"
#include "core/train/trainer.h"
#include "kernels/batch_assembly.h"
#include "kernels/csr_weight.h"
#include "kernels/gpu_event_timer.h"
#include "kernels/kernel_dispatch.h"
#include "kernels/materialize_weight.h"
#include "kernels/sparse_pointwise.h"
#include "test_support.h"

using namespace sn;
using kernels::MaskGradient;

namespace {

// Forward value and weight gradient of materialisation under a random upstream gradient.
std::pair<torch::Tensor, torch::Tensor> valueAndGrad(
    decltype(&kernels::materializeWeight) op, const torch::Tensor& weight,
    const torch::Tensor& mask, int64_t o, int64_t i, int64_t k, MaskGradient mg,
    const torch::Tensor& upstream) {
  const torch::Tensor w = weight.detach().clone().requires_grad_(true);
  const torch::Tensor out = op(w, mask, o, i, k, mg);
  (out * upstream).sum().backward();
  return {out.detach(), w.grad()};
}

torch::Tensor prunedPointwise(int64_t out, int64_t in, double sparsity) {
  const torch::Tensor w = torch::randn({out, in, 1, 1});
  return w * (torch::rand({out, in, 1, 1}) >= sparsity).to(torch::kFloat32);
}

// The first `samples` real Fashion-MNIST training images.
Dataset fashionMnistTrain(int64_t samples) {
  DatasetSpec spec;
  spec.trainLimit = samples;
  spec.testLimit = 64;
  return loadDatasets(spec).train;
}

// Leaf tensors carrying copies of `grads`, for the clipping functions to scale.
std::vector<torch::Tensor> paramsWithGrads(const std::vector<torch::Tensor>& grads) {
  std::vector<torch::Tensor> params;
  for (const auto& g : grads) {
    params.push_back(torch::zeros_like(g).requires_grad_(true));
    params.back().mutable_grad() = g.clone();
  }
  return params;
}

// L2 norm over all of `params`' gradients, computed in double.
double globalGradNorm(const std::vector<torch::Tensor>& params) {
  double sumSquares = 0.0;
  for (const auto& p : params) sumSquares += p.grad().to(torch::kFloat64).pow(2).sum().item<double>();
  return std::sqrt(sumSquares);
}

}  // namespace

class TestKernels : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void fusedMaterialisationEqualsTheReferenceForwardAndBackward() {
    torch::manual_seed(3);
    const torch::Tensor weight = torch::randn({12, 10, 7, 7});
    const torch::Tensor mask = (torch::rand({12, 10, 7, 7}) > 0.4).to(torch::kFloat32);
    struct Case { int64_t o, i, k; };
    for (const Case c : {Case{12, 10, 7}, Case{5, 3, 3}, Case{12, 1, 5}, Case{1, 10, 1}}) {
      for (const MaskGradient mg : {MaskGradient::Masked, MaskGradient::StraightThrough}) {
        for (const torch::Tensor& m : {mask, torch::Tensor()}) {
          const torch::Tensor up = torch::randn({c.o, c.i, c.k, c.k});
          const auto [refOut, refGrad] =
              valueAndGrad(&kernels::materializeWeightReference, weight, m, c.o, c.i, c.k, mg, up);
          const auto [out, grad] =
              valueAndGrad(&kernels::materializeWeightFused, weight, m, c.o, c.i, c.k, mg, up);
          QVERIFY(torch::equal(out, refOut));
          QVERIFY2(torch::equal(grad, refGrad),
                   qPrintable(QString("o=%1 i=%2 k=%3 straight=%4 mask=%5")
                                  .arg(c.o).arg(c.i).arg(c.k)
                                  .arg(mg == MaskGradient::StraightThrough).arg(m.defined())));
        }
      }
    }
  }

  void straightThroughGradientReachesPrunedWeightsOnlyWhenAsked() {
    const torch::Tensor weight = torch::randn({4, 4, 3, 3});
    const torch::Tensor mask = torch::zeros({4, 4, 3, 3});
    const torch::Tensor up = torch::ones({4, 4, 3, 3});
    const auto [masked, maskedGrad] = valueAndGrad(&kernels::materializeWeightFused, weight, mask,
                                                   4, 4, 3, MaskGradient::Masked, up);
    const auto [straight, straightGrad] = valueAndGrad(
        &kernels::materializeWeightFused, weight, mask, 4, 4, 3, MaskGradient::StraightThrough, up);
    QCOMPARE(masked.abs().sum().item<double>(), 0.0);
    QCOMPARE(straight.abs().sum().item<double>(), 0.0);
    QCOMPARE(maskedGrad.abs().sum().item<double>(), 0.0);
    QCOMPARE(straightGrad.sum().item<double>(), 4.0 * 4 * 9);
  }

  void badSlicesAreRefusedByBothPaths() {
    const torch::Tensor weight = torch::randn({4, 4, 5, 5});
    QVERIFY_THROWS_EXCEPTION(c10::Error, kernels::materializeWeightFused(weight, {}, 5, 4, 3));
    QVERIFY_THROWS_EXCEPTION(c10::Error, kernels::materializeWeightReference(weight, {}, 4, 4, 4));
    QVERIFY_THROWS_EXCEPTION(c10::Error, kernels::materializeWeightFused(weight.to(torch::kDouble), {}, 4, 4, 3));
  }

  void dispatcherKeepsCpuOnTheReferenceUnlessForced() {
    const torch::Tensor w = torch::randn({4, 4, 3, 3}, torch::requires_grad());
    QVERIFY(!kernels::useFused(w));
    {
      kernels::ScopedKernelPath fused(kernels::KernelPath::Fused);
      QVERIFY(kernels::useFused(w));
      // The fused path's autograd node, not narrow/mul's.
      const torch::Tensor out = kernels::materializeWeight(w, {}, 2, 2, 1);
      QVERIFY(QString::fromStdString(out.grad_fn()->name()).contains("Materialize"));
    }
    QCOMPARE(kernels::kernelPath(), kernels::KernelPath::Auto);
  }

  void csrKeepsExactlyTheUnprunedWeights() {
    const torch::Tensor dense = prunedPointwise(16, 24, 0.7);
    const kernels::CsrWeight csr = kernels::CsrWeight::fromDense(dense);
    QCOMPARE(csr.nonZeros(), dense.ne(0).sum().item<int64_t>());
    QVERIFY(torch::equal(csr.toDense(), dense.view({16, 24})));
    QVERIFY_THROWS_EXCEPTION(c10::Error, kernels::CsrWeight::fromDense(torch::randn({4, 4, 3, 3})));
  }

  void sparsePointwiseEqualsTheDenseConvolution() {
    torch::manual_seed(5);
    for (const double sparsity : {0.0, 0.5, 0.9, 1.0}) {
      const torch::Tensor dense = prunedPointwise(32, 48, sparsity);
      const kernels::CsrWeight csr = kernels::CsrWeight::fromDense(dense);
      const torch::Tensor x = torch::randn({3, 48, 7, 5});
      const torch::Tensor expected = torch::conv2d(x, dense);
      QVERIFY2(torch::allclose(kernels::sparsePointwise(csr, x), expected, 1e-4, 1e-5),
               qPrintable(QString("sparsity %1").arg(sparsity)));
    }
    // A linear layer is the 1 x 1 image case.
    const torch::Tensor fc = prunedPointwise(10, 64, 0.8).view({10, 64});
    const torch::Tensor v = torch::randn({6, 64});
    const torch::Tensor y = kernels::sparsePointwise(kernels::CsrWeight::fromDense(fc), v.view({6, 64, 1, 1}));
    QVERIFY(torch::allclose(y.view({6, 10}), torch::linear(v, fc), 1e-4, 1e-5));
    QVERIFY_THROWS_EXCEPTION(c10::Error, kernels::sparsePointwise(kernels::CsrWeight::fromDense(fc),
                                                                  torch::randn({1, 63, 2, 2})));
  }

  void fusedBatchAssemblyEqualsTheReferenceOnFashionMnist() {
    const Dataset data = fashionMnistTrain(512);
    const auto [mean, stddev] = BatchLoader::channelStatistics(data);
    const torch::Tensor idx = torch::randperm(512, torch::kInt64).narrow(0, 0, 100);
    for (const AugmentSpec augment : {AugmentSpec{0, false}, AugmentSpec{2, false},
                                      AugmentSpec{0, true}, AugmentSpec{4, true}}) {
      torch::manual_seed(9);
      const kernels::AugmentDraws draws = drawAugmentation(100, augment, torch::kCPU);
      const torch::Tensor ref = kernels::assembleBatchReference(data.images, idx, mean, stddev, draws);
      const torch::Tensor fused = kernels::assembleBatchFused(data.images, idx, mean, stddev, draws);
      QVERIFY2(torch::allclose(fused, ref, 0.0, 1e-6),
               qPrintable(QString("pad %1 flip %2").arg(augment.cropPadding).arg(augment.flip)));
    }
  }

  void trainingStepsOnTheFusedPathMatchTheReferencePath() {
    const Dataset data = fashionMnistTrain(256);
    const auto [mean, stddev] = BatchLoader::channelStatistics(data);
    const BatchLoader loader(data, mean, stddev);
    TrainRecipe recipe;
    recipe.batchSize = 64;
    recipe.pruning.enabled = true;  // masks with straight-through regrowth on every conv
    recipe.pruning.target = 0.5;
    recipe.pruning.startEpoch = 0;
    auto trainTwoSteps = [&](kernels::KernelPath path) {
      kernels::ScopedKernelPath scoped(path);
      torch::manual_seed(1);
      Supernet net(spacePreset("fmnist-small"), NetShape{1, 28, 10});
      Trainer trainer(net, recipe, loader, 2);
      std::vector<torch::Tensor> values;
      for (int i = 0; i < 2; ++i) values.push_back(trainer.step().values);
      return std::make_pair(torch::stack(values), net->stemConv->weight.detach().clone());
    };
    const auto [refValues, refWeight] = trainTwoSteps(kernels::KernelPath::Reference);
    const auto [values, weight] = trainTwoSteps(kernels::KernelPath::Fused);
    QVERIFY2(torch::allclose(values, refValues, 1e-4, 1e-5),
             qPrintable(QString("losses differ by %1").arg((values - refValues).abs().max().item<double>())));
    QVERIFY(torch::allclose(weight, refWeight, 1e-4, 1e-6));
  }

  // clipGradNorm is the trainer's clip without LibTorch's read-back of the norm: the
  // gradients it leaves must be LibTorch's, both when it scales them and when it does not.
  void gradientClippingEqualsLibTorchs() {
    const Dataset data = fashionMnistTrain(64);
    const auto [mean, stddev] = BatchLoader::channelStatistics(data);
    const Batch batch = BatchLoader(data, mean, stddev).range(0, 64);
    torch::manual_seed(3);
    Supernet net(spacePreset("fmnist-small"), NetShape{1, 28, 10});
    net->setActive(Arch::largest(net->space()));
    torch::nn::functional::cross_entropy(net->forward(batch.images), batch.labels).backward();
    std::vector<torch::Tensor> grads;
    for (const auto& p : net->parameters()) grads.push_back(p.grad().clone());
    const double norm = globalGradNorm(paramsWithGrads(grads));
    QVERIFY(norm > 0.1);
    for (const double maxNorm : {norm / 4, norm * 4}) {
      const std::vector<torch::Tensor> ours = paramsWithGrads(grads), theirs = paramsWithGrads(grads);
      const double before = clipGradNorm(ours, maxNorm).item<double>();  // computed in fp32
      QVERIFY2(std::abs(before - norm) < 1e-5 * norm, qPrintable(QString::number(before)));
      torch::nn::utils::clip_grad_norm_(theirs, maxNorm);
      for (size_t i = 0; i < ours.size(); ++i) QVERIFY(torch::equal(ours[i].grad(), theirs[i].grad()));
      const double after = globalGradNorm(ours);
      QVERIFY2(std::abs(after - std::min(maxNorm, norm)) < 1e-3 * norm, qPrintable(QString::number(after)));
    }
  }

  void gpuEventTimingIsRefusedWithoutACudaBuild() {
    if (kernels::cudaKernelsBuilt()) QSKIP("this build has CUDA");
    try {
      kernels::GpuEventTimer timer(torch::Device(torch::kCUDA, 0));
      QFAIL("expected a refusal");
    } catch (const std::exception& e) {
      QVERIFY(QString(e.what()).contains("needs a build with CUDA"));
    }
  }
};

QTEST_APPLESS_MAIN(TestKernels)
#include "tst_kernels.moc"
