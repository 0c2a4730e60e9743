#pragma once
#include <cstdint>

#include "kernels/host_device.h"
#include "kernels/nchw_index.h"

namespace sn::kernels {

// One training batch cut from a uint8 dataset [samples, C, H, W]: which sample each row is,
// its crop offset in the zero-padded image and whether it is mirrored. Plain pointers so the
// same `pixel` runs in the CUDA kernel and in the host loop.
struct BatchGeometry {
  int64_t batch, channels, height, width, padding;
  const uint8_t* images;
  const int64_t* index;  // [batch]
  const int64_t* dy;     // [batch] or null (no crop)
  const int64_t* dx;
  const bool* flip;      // [batch] or null (no flip)
  const float* mean;     // [channels]
  const float* stddev;

  SN_HOST_DEVICE int64_t elements() const { return batch * channels * height * width; }
  // Element `i` of the float batch [batch, C, H, W]: crop after padding, then mirror, as the
  // ATen reference does; the padding is 0 in normalised units (the channel mean).
  SN_HOST_DEVICE float pixel(int64_t i) const {
    const NchwIndex e = NchwIndex::of(i, channels, height, width);
    const int64_t col = (flip && flip[e.n] ? width - 1 - e.w : e.w) + (dx ? dx[e.n] - padding : 0);
    const int64_t row = e.h + (dy ? dy[e.n] - padding : 0);
    if (row < 0 || row >= height || col < 0 || col >= width) return 0.0f;
    const uint8_t v = images[((index[e.n] * channels + e.c) * height + row) * width + col];
    return (static_cast<float>(v) / 255.0f - mean[e.c]) / stddev[e.c];
  }
};

}  // namespace sn::kernels
