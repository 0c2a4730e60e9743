#include "core/bench/kernel_selftest.h"

#include <torch/torch.h>

#include "core/data/batch_loader.h"
#include "core/data/synthetic_dataset.h"
#include "core/space/presets.h"
#include "core/supernet/supernet.h"
#include "core/train/trainer.h"
#include "kernels/batch_assembly.h"
#include "kernels/csr_weight.h"
#include "kernels/kernel_dispatch.h"
#include "kernels/materialize_weight.h"
#include "kernels/sparse_pointwise.h"

namespace sn {
namespace {

constexpr double kFp32Tolerance = 1e-5;
// A training step sums four subnets' convolutions; cuDNN and oneDNN pick different
// algorithms (summation orders), so its fp32 tolerance is looser than a single kernel's.
constexpr double kStepTolerance = 1e-3;
constexpr double kBf16StepTolerance = 5e-2;

double relativeError(const at::Tensor& got, const at::Tensor& reference) {
  const at::Tensor r = reference.detach().to(torch::kCPU, torch::kFloat64);
  const at::Tensor g = got.detach().to(torch::kCPU, torch::kFloat64);
  if (g.sizes() != r.sizes()) return std::numeric_limits<double>::infinity();
  if (r.numel() == 0) return 0.0;
  return ((g - r).abs() / (1 + r.abs())).max().item<double>();
}

// On CPU the fused host loops stand in for the kernels; on CUDA the dispatcher's choice.
kernels::KernelPath pathUnderTest(const c10::Device& device) {
  return device.is_cpu() ? kernels::KernelPath::Fused : kernels::KernelPath::Auto;
}

void checkMaterialize(const c10::Device& device, std::vector<SelftestCheck>& out) {
  const at::Tensor weight = torch::randn({48, 40, 7, 7});
  const at::Tensor mask = (torch::rand({48, 40, 7, 7}) > 0.3).to(torch::kFloat32);
  const at::Tensor up = torch::randn({32, 24, 5, 5});
  for (const auto mg : {kernels::MaskGradient::Masked, kernels::MaskGradient::StraightThrough}) {
    const std::string suffix = mg == kernels::MaskGradient::Masked ? "masked" : "straight-through";
    auto run = [&](const c10::Device& d, bool reference) {
      kernels::ScopedKernelPath path(reference ? kernels::KernelPath::Reference : pathUnderTest(d));
      // A copy on every device: on CPU .to() would hand back `weight` itself.
      const at::Tensor w = weight.to(d).detach().clone().requires_grad_(true);
      const at::Tensor value = kernels::materializeWeight(w, mask.to(d), 32, 24, 5, mg);
      (value * up.to(d)).sum().backward();
      return std::make_pair(value.detach(), w.grad());
    };
    const auto [refValue, refGrad] = run(torch::kCPU, true);
    const auto [value, grad] = run(device, false);
    out.push_back({"materializeWeight forward (" + suffix + ")", "fp32",
                   relativeError(value, refValue), kFp32Tolerance});
    out.push_back({"materializeWeight backward (" + suffix + ")", "fp32",
                   relativeError(grad, refGrad), kFp32Tolerance});
  }
}

void checkSparsePointwise(const c10::Device& device, std::vector<SelftestCheck>& out) {
  for (const double sparsity : {0.5, 0.9}) {
    const at::Tensor dense = torch::randn({96, 64, 1, 1}) *
                             (torch::rand({96, 64, 1, 1}) >= sparsity).to(torch::kFloat32);
    const at::Tensor x = torch::randn({8, 64, 14, 14});
    // On CPU the dispatcher runs the host loop itself: check it against the dense conv.
    const at::Tensor reference =
        device.is_cpu() ? torch::conv2d(x, dense)
                        : kernels::sparsePointwiseReference(kernels::CsrWeight::fromDense(dense), x);
    const at::Tensor got =
        kernels::sparsePointwise(kernels::CsrWeight::fromDense(dense.to(device)), x.to(device));
    out.push_back({"sparsePointwise CSR at " + std::to_string(static_cast<int>(sparsity * 100)) +
                       (device.is_cpu() ? "% vs dense conv" : "% sparsity"),
                   "fp32", relativeError(got, reference), kFp32Tolerance});
  }
}

void checkBatchAssembly(const c10::Device& device, std::vector<SelftestCheck>& out) {
  const at::Tensor images = torch::randint(0, 256, {300, 3, 32, 32}, torch::kUInt8);
  const at::Tensor idx = torch::randint(0, 300, {128}, torch::kInt64);
  const at::Tensor mean = torch::rand({3}), stddev = torch::rand({3}) + 0.1;
  kernels::AugmentDraws draws;
  draws.padding = 4;
  draws.dy = torch::randint(0, 9, {128}, torch::kInt64);
  draws.dx = torch::randint(0, 9, {128}, torch::kInt64);
  draws.flip = torch::rand({128}) < 0.5;
  const at::Tensor reference = kernels::assembleBatchReference(images, idx, mean, stddev, draws);
  kernels::AugmentDraws onDevice{draws.padding, draws.dy.to(device), draws.dx.to(device),
                                 draws.flip.to(device)};
  kernels::ScopedKernelPath path(pathUnderTest(device));
  const at::Tensor got = kernels::assembleBatch(images.to(device), idx.to(device), mean.to(device),
                                                stddev.to(device), onDevice);
  out.push_back({"assembleBatch crop+flip+normalise", "fp32", relativeError(got, reference),
                 kFp32Tolerance});
}

// Two sandwich steps (pruning masks with straight-through regrowth, gradient clipping) from
// the same initial weights and batches: losses and a weight after the steps.
std::pair<at::Tensor, at::Tensor> trainSteps(const c10::Device& device, kernels::KernelPath path,
                                             uint64_t seed, const std::string& precision = "fp32") {
  kernels::ScopedKernelPath scoped(path);
  SearchSpace space = spacePreset("fmnist-small");
  space.head.dropout = 0.0;  // CPU and CUDA generators draw different dropout masks
  const Dataset data = makeSyntheticDataset({256, 1, 28, 10, seed});
  const auto [mean, stddev] = BatchLoader::channelStatistics(data);
  const BatchLoader loader(data.to(device), mean, stddev);
  TrainRecipe recipe;
  recipe.batchSize = 64;
  recipe.augment = {0, false};  // likewise for crop offsets and flips
  recipe.seed = seed;
  recipe.precision = precision;
  recipe.pruning.enabled = true;
  recipe.pruning.startEpoch = 0;
  recipe.pruning.target = 0.5;
  recipe.gradClip = 0.5;  // below the gradient norm at the start: the device-side clip scales
  torch::manual_seed(seed);
  Supernet net(space, NetShape{1, 28, 10});
  net->to(device);
  Trainer trainer(net, recipe, loader, 2);
  std::vector<at::Tensor> values;
  for (int i = 0; i < 2; ++i) values.push_back(trainer.step().values.to(torch::kCPU));
  return {torch::stack(values), net->stemConv->weight.detach().to(torch::kCPU)};
}

void checkTrainingStep(const c10::Device& device, uint64_t seed, std::vector<SelftestCheck>& out) {
  const auto [refLosses, refWeight] = trainSteps(torch::kCPU, kernels::KernelPath::Reference, seed);
  const auto [losses, weight] = trainSteps(device, pathUnderTest(device), seed);
  out.push_back({"training step: losses", "fp32", relativeError(losses, refLosses), kStepTolerance});
  out.push_back({"training step: updated weights", "fp32", relativeError(weight, refWeight),
                 kStepTolerance});
  // bf16 keeps 8 bits of mantissa (~0.4% per rounding): the losses of an autocast step
  // stay within a few percent of fp32's.
  const at::Tensor bf16Losses = trainSteps(device, pathUnderTest(device), seed, "bf16").first;
  out.push_back({"training step: losses under autocast", "bf16", relativeError(bf16Losses, refLosses),
                 kBf16StepTolerance});
}

}  // namespace

std::vector<SelftestCheck> runSelftest(const c10::Device& device, uint64_t seed) {
  auto& context = at::globalContext();
  const bool tf32Cudnn = context.allowTF32CuDNN(), tf32Blas = context.allowTF32CuBLAS();
  context.setAllowTF32CuDNN(false);
  context.setAllowTF32CuBLAS(false);
  torch::manual_seed(seed);
  std::vector<SelftestCheck> checks;
  checkMaterialize(device, checks);
  checkSparsePointwise(device, checks);
  checkBatchAssembly(device, checks);
  checkTrainingStep(device, seed, checks);
  context.setAllowTF32CuDNN(tf32Cudnn);
  context.setAllowTF32CuBLAS(tf32Blas);
  return checks;
}

}  // namespace sn
