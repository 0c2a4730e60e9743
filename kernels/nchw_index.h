#pragma once
#include <cstdint>

#include "kernels/host_device.h"

namespace sn::kernels {

// The coordinates of element `i` of a row-major [N, C, H, W] array; a conv weight reads
// them as [out, in, kh, kw]. Every fused kernel's per-element code starts here.
struct NchwIndex {
  int64_t n, c, h, w;

  static SN_HOST_DEVICE NchwIndex of(int64_t i, int64_t channels, int64_t height, int64_t width) {
    return {i / (channels * height * width), (i / (height * width)) % channels,
            (i / width) % height, i % width};
  }
};

}  // namespace sn::kernels
