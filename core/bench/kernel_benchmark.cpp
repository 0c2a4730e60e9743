#include "core/bench/kernel_benchmark.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "core/data/batch_loader.h"
#include "kernels/batch_assembly.h"
#include "kernels/csr_weight.h"
#include "kernels/kernel_dispatch.h"
#include "kernels/materialize_weight.h"
#include "kernels/sparse_pointwise.h"

namespace sn {
namespace {

double medianMs(const c10::Device& device, int runs, const std::function<void()>& call) {
  auto sync = [&] {
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
  };
  for (int i = 0; i < 3; ++i) call();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    sync();
    const auto start = std::chrono::steady_clock::now();
    call();
    sync();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
}

// Forward and backward of one dynamic layer's weight, as a training step does it.
void materializeTimings(const c10::Device& d, int runs, std::vector<KernelTiming>& out) {
  struct Layer { const char* what; int64_t o, i, k, O, I, K; };
  for (const Layer l : {Layer{"expand 1x1 (ofa-mbv3 stage 5)", 480, 80, 1, 960, 160, 1},
                        Layer{"depthwise 7x7 -> 5x5", 480, 1, 5, 960, 1, 7},
                        Layer{"depthwise 5x5 -> 3x3 (fmnist-small)", 96, 1, 3, 192, 1, 5}}) {
    const at::Tensor w = torch::randn({l.O, l.I, l.K, l.K}, torch::TensorOptions().device(d)).requires_grad_(true);
    const at::Tensor mask = (torch::rand({l.O, l.I, l.K, l.K}, torch::TensorOptions().device(d)) > 0.5).to(torch::kFloat32);
    auto step = [&](kernels::KernelPath path) {
      return [&, path] {
        kernels::ScopedKernelPath scoped(path);
        kernels::materializeWeight(w, mask, l.o, l.i, l.k, kernels::MaskGradient::StraightThrough)
            .sum().backward();
      };
    };
    out.push_back({"materializeWeight fwd+bwd (straight-through mask)", l.what,
                   medianMs(d, runs, step(kernels::KernelPath::Reference)),
                   medianMs(d, runs, step(kernels::KernelPath::Fused))});
  }
}

void sparseTimings(const c10::Device& d, int runs, std::vector<KernelTiming>& out) {
  struct Size { int64_t n, in, out, hw; };
  for (const Size s : {Size{64, 96, 144, 14}, Size{1, 960, 160, 7}}) {
    const at::Tensor x = torch::randn({s.n, s.in, s.hw, s.hw}, torch::TensorOptions().device(d));
    for (const double sparsity : {0.5, 0.8, 0.9, 0.95}) {
      const at::Tensor dense = torch::randn({s.out, s.in, 1, 1}, x.options()) *
                               (torch::rand({s.out, s.in, 1, 1}, x.options()) >= sparsity).to(torch::kFloat32);
      const kernels::CsrWeight csr = kernels::CsrWeight::fromDense(dense);
      torch::NoGradGuard noGrad;
      const std::string size = "x [" + std::to_string(s.n) + "," + std::to_string(s.in) + "," +
                               std::to_string(s.hw) + "," + std::to_string(s.hw) + "] -> " +
                               std::to_string(s.out) + " ch, " +
                               std::to_string(static_cast<int>(sparsity * 100)) + "% sparse";
      out.push_back({"sparsePointwise CSR vs dense 1x1 conv", size,
                     medianMs(d, runs, [&] { torch::conv2d(x, dense); }),
                     medianMs(d, runs, [&] { kernels::sparsePointwise(csr, x); })});
    }
  }
}

void assemblyTimings(const c10::Device& d, int runs, std::vector<KernelTiming>& out) {
  const auto opts = torch::TensorOptions().device(d);
  const at::Tensor images = torch::randint(0, 256, {60000, 1, 28, 28}, opts.dtype(torch::kUInt8));
  const at::Tensor idx = torch::randint(0, 60000, {256}, opts.dtype(torch::kInt64));
  const at::Tensor mean = torch::full({1}, 0.29, opts), stddev = torch::full({1}, 0.35, opts);
  const kernels::AugmentDraws draws = drawAugmentation(256, {2, true}, d);
  out.push_back({"assembleBatch gather+normalise+crop+flip", "batch 256 of 28x28 uint8",
                 medianMs(d, runs, [&] { kernels::assembleBatchReference(images, idx, mean, stddev, draws); }),
                 medianMs(d, runs, [&] { kernels::assembleBatchFused(images, idx, mean, stddev, draws); })});
}

}  // namespace

std::vector<KernelTiming> runKernelBenchmark(const c10::Device& device, int runs) {
  std::vector<KernelTiming> out;
  materializeTimings(device, runs, out);
  sparseTimings(device, runs, out);
  assemblyTimings(device, runs, out);
  return out;
}

}  // namespace sn
