#include "core/supernet/dynamic_se.h"

#include <cmath>

#include "core/space/make_divisible.h"
#include "core/supernet/activation.h"

namespace sn {

DynamicSEImpl::DynamicSEImpl(int64_t maxChannels) {
  const int64_t hidden = seHidden(static_cast<int>(maxChannels));
  reduceWeight = register_parameter("reduce_weight", torch::empty({hidden, maxChannels, 1, 1}));
  reduceBias = register_parameter("reduce_bias", torch::zeros({hidden}));
  expandWeight = register_parameter("expand_weight", torch::empty({maxChannels, hidden, 1, 1}));
  expandBias = register_parameter("expand_bias", torch::zeros({maxChannels}));
  torch::NoGradGuard noGrad;
  reduceWeight.normal_(0.0, std::sqrt(2.0 / static_cast<double>(hidden)));
  expandWeight.normal_(0.0, std::sqrt(2.0 / static_cast<double>(maxChannels)));
}

torch::Tensor DynamicSEImpl::forward(const torch::Tensor& x) {
  const int64_t c = x.size(1);
  const int64_t hidden = seHidden(static_cast<int>(c));
  torch::Tensor y = x.mean({2, 3}, /*keepdim=*/true);
  y = torch::conv2d(y, reduceWeight.narrow(0, 0, hidden).narrow(1, 0, c),
                    reduceBias.narrow(0, 0, hidden));
  y = torch::relu(y);
  y = torch::conv2d(y, expandWeight.narrow(0, 0, c).narrow(1, 0, hidden),
                    expandBias.narrow(0, 0, c));
  return x * hardSigmoid(y);
}

}  // namespace sn
