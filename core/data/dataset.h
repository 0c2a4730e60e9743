#pragma once
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <string>
#include <vector>

#include "core/space/search_space.h"

namespace sn {

// A whole split as two tensors: images uint8 [N, C, H, W] and labels int64 [N]. It lives on
// the training device in one piece; batches are gathered from it, never loaded per sample.
struct Dataset {
  std::string name;
  at::Tensor images;
  at::Tensor labels;
  int classes = 10;
  std::vector<std::string> classNames;

  int64_t size() const { return images.defined() ? images.size(0) : 0; }
  NetShape shape() const;
  // The first n samples (all when n <= 0 or n >= size()).
  Dataset head(int64_t n) const;
  // `n` samples (0: all the rest) from `offset` on; InputError when the split has none there.
  Dataset slice(int64_t offset, int64_t n) const;
  Dataset to(const c10::Device& device) const;
};

std::vector<std::string> fashionMnistClassNames();
std::vector<std::string> cifar10ClassNames();

}  // namespace sn
