#include "core/supernet/activation.h"

#include <ATen/ATen.h>

namespace sn {

at::Tensor applyActivation(const at::Tensor& x, Activation act) {
  switch (act) {
    case Activation::ReLU: return at::relu(x);
    case Activation::HSwish: return at::hardswish(x);
    case Activation::None: return x;
  }
  return x;
}

at::Tensor hardSigmoid(const at::Tensor& x) { return at::hardsigmoid(x); }

}  // namespace sn
