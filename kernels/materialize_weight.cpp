#include "kernels/materialize_weight.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

namespace sn::kernels {
namespace {

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

}  // namespace

at::Tensor materializeWeight(const at::Tensor& weight, const at::Tensor& mask,
                             int64_t outChannels, int64_t inChannels, int64_t kernel) {
  TORCH_CHECK(weight.dim() == 4, "materializeWeight: weight must be [O, I, K, K], got ",
              weight.sizes());
  TORCH_CHECK(outChannels > 0 && outChannels <= weight.size(0), "materializeWeight: ",
              outChannels, " output channels asked of a weight with ", weight.size(0));
  TORCH_CHECK(inChannels > 0 && inChannels <= weight.size(1), "materializeWeight: ", inChannels,
              " input channels asked of a weight with ", weight.size(1));
  TORCH_CHECK(kernel > 0 && kernel <= weight.size(2) && (weight.size(2) - kernel) % 2 == 0,
              "materializeWeight: kernel ", kernel, " has no centre in a ", weight.size(2),
              "-wide weight");
  at::Tensor w = slice(weight, outChannels, inChannels, kernel);
  if (mask.defined()) {
    TORCH_CHECK(mask.sizes() == weight.sizes(), "materializeWeight: mask shape ", mask.sizes(),
                " differs from weight shape ", weight.sizes());
    w = w * slice(mask, outChannels, inChannels, kernel);
  }
  return w;
}

}  // namespace sn::kernels
