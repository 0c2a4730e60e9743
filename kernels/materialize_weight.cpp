#include "kernels/materialize_weight.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/custom_function.h>

#include "kernels/kernel_dispatch.h"
#include "kernels/weight_slice.h"
#ifdef SUPERNET_WITH_CUDA
#include "kernels/cuda/materialize_weight_cuda.h"
#include "kernels/cuda_stream.h"
#endif

namespace sn::kernels {
namespace {

void checkArguments(const at::Tensor& weight, const at::Tensor& mask, int64_t outChannels,
                    int64_t inChannels, int64_t kernel) {
  TORCH_CHECK(weight.dim() == 4, "materializeWeight: weight must be [O, I, K, K], got ",
              weight.sizes());
  TORCH_CHECK(outChannels > 0 && outChannels <= weight.size(0), "materializeWeight: ",
              outChannels, " output channels asked of a weight with ", weight.size(0));
  TORCH_CHECK(inChannels > 0 && inChannels <= weight.size(1), "materializeWeight: ", inChannels,
              " input channels asked of a weight with ", weight.size(1));
  TORCH_CHECK(kernel > 0 && kernel <= weight.size(2) && (weight.size(2) - kernel) % 2 == 0,
              "materializeWeight: kernel ", kernel, " has no centre in a ", weight.size(2),
              "-wide weight");
  TORCH_CHECK(!mask.defined() || mask.sizes() == weight.sizes(), "materializeWeight: mask shape ",
              mask.sizes(), " differs from weight shape ", weight.sizes());
}

at::Tensor slice(const at::Tensor& t, int64_t outChannels, int64_t inChannels, int64_t kernel) {
  const int64_t full = t.size(2);
  at::Tensor w = t;
  if (outChannels != t.size(0)) w = w.narrow(0, 0, outChannels);
  if (inChannels != t.size(1)) w = w.narrow(1, 0, inChannels);
  if (kernel != full) {
    const int64_t offset = (full - kernel) / 2;
    w = w.narrow(2, offset, kernel).narrow(3, offset, kernel);
  }
  return w;
}

WeightSlice sliceOf(const at::Tensor& weight, int64_t out, int64_t in, int64_t kernel) {
  return {out, in, kernel, weight.size(0), weight.size(1), weight.size(2)};
}

const float* maskData(const at::Tensor& mask) {
  return mask.defined() ? mask.data_ptr<float>() : nullptr;
}

at::Tensor fusedForward(const at::Tensor& weight, const at::Tensor& mask, const WeightSlice& s) {
  at::Tensor out = at::empty({s.out, s.in, s.k, s.k}, weight.options());
  const float* w = weight.data_ptr<float>();
  const float* m = maskData(mask);
  float* o = out.data_ptr<float>();
#ifdef SUPERNET_WITH_CUDA
  if (weight.is_cuda()) {
    cuda::materializeForward(w, m, o, s, currentCudaStream(weight));
    return out;
  }
#endif
  at::parallel_for(0, s.elements(), 4096, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int64_t src = s.sourceOffset(i);
      o[i] = m ? w[src] * m[src] : w[src];
    }
  });
  return out;
}

at::Tensor fusedBackward(const at::Tensor& grad, const at::Tensor& mask, bool straightThrough,
                         const WeightSlice& s) {
  const at::Tensor g = grad.contiguous();
  at::Tensor gradWeight = at::empty({s.outFull, s.inFull, s.kFull, s.kFull}, g.options());
  const float* gp = g.data_ptr<float>();
  const float* m = maskData(mask);
  float* out = gradWeight.data_ptr<float>();
#ifdef SUPERNET_WITH_CUDA
  if (grad.is_cuda()) {
    cuda::materializeBackward(gp, m, straightThrough, out, s, currentCudaStream(grad));
    return gradWeight;
  }
#endif
  at::parallel_for(0, gradWeight.numel(), 4096, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) {
      const int64_t i = s.sliceOffset(j);
      float v = i < 0 ? 0.0f : gp[i];
      if (m && !straightThrough) v *= m[j];
      out[j] = v;
    }
  });
  return gradWeight;
}

// Autograd node of the fused path: saves the mask (not the weight) and the slice sizes.
struct MaterializeFunction : torch::autograd::Function<MaterializeFunction> {
  // The mask is optional: autograd records an undefined plain Tensor argument as an input.
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& weight,
                            const c10::optional<at::Tensor>& maybeMask, int64_t out, int64_t in, int64_t kernel,
                            bool straightThrough) {
    const WeightSlice s = sliceOf(weight, out, in, kernel);
    const at::Tensor mask = maybeMask.value_or(at::Tensor());
    ctx->saved_data["sizes"] = std::vector<int64_t>{s.out, s.in, s.k, s.outFull, s.inFull, s.kFull};
    ctx->saved_data["straight"] = straightThrough;
    if (mask.defined()) ctx->saved_data["mask"] = mask;
    return fusedForward(weight.contiguous(), mask.defined() ? mask.contiguous() : mask, s);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const std::vector<int64_t> z = ctx->saved_data["sizes"].toIntVector();
    const WeightSlice s{z[0], z[1], z[2], z[3], z[4], z[5]};
    const auto saved = ctx->saved_data.find("mask");
    const at::Tensor mask =
        saved == ctx->saved_data.end() ? at::Tensor() : saved->second.toTensor().contiguous();
    const at::Tensor gradWeight =
        fusedBackward(grads[0], mask, ctx->saved_data["straight"].toBool(), s);
    return {gradWeight, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

}  // namespace

at::Tensor materializeWeightReference(const at::Tensor& weight, const at::Tensor& mask,
                                      int64_t outChannels, int64_t inChannels, int64_t kernel,
                                      MaskGradient gradient) {
  checkArguments(weight, mask, outChannels, inChannels, kernel);
  const at::Tensor w = slice(weight, outChannels, inChannels, kernel);
  if (!mask.defined()) return w;
  const at::Tensor m = slice(mask, outChannels, inChannels, kernel);
  // Straight through: the value is w * m exactly (w - w * (1 - m)); the gradient reaches every w.
  if (gradient == MaskGradient::StraightThrough) return w - (w * (1 - m)).detach();
  return w * m;
}

at::Tensor materializeWeightFused(const at::Tensor& weight, const at::Tensor& mask,
                                  int64_t outChannels, int64_t inChannels, int64_t kernel,
                                  MaskGradient gradient) {
  checkArguments(weight, mask, outChannels, inChannels, kernel);
  TORCH_CHECK(weight.scalar_type() == at::kFloat && (!mask.defined() || mask.scalar_type() == at::kFloat),
              "materializeWeightFused: fp32 weights and masks only (master weights stay fp32)");
  return MaterializeFunction::apply(weight, mask.defined() ? c10::optional<at::Tensor>(mask) : c10::nullopt, outChannels, inChannels, kernel,
                                    gradient == MaskGradient::StraightThrough);
}

at::Tensor materializeWeight(const at::Tensor& weight, const at::Tensor& mask,
                             int64_t outChannels, int64_t inChannels, int64_t kernel,
                             MaskGradient gradient) {
  if (useFused(weight) && weight.scalar_type() == at::kFloat) {
    return materializeWeightFused(weight, mask, outChannels, inChannels, kernel, gradient);
  }
  return materializeWeightReference(weight, mask, outChannels, inChannels, kernel, gradient);
}

}  // namespace sn::kernels
