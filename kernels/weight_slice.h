#pragma once
#include <cstdint>

#include "kernels/host_device.h"
#include "kernels/nchw_index.h"

namespace sn::kernels {

// The active window of a shared [outFull, inFull, kFull, kFull] conv weight: the first
// `out` x `in` channels and the centred `k` x `k` kernel. Plain data, usable on the GPU.
struct WeightSlice {
  int64_t out, in, k;              // active sizes
  int64_t outFull, inFull, kFull;  // stored sizes

  SN_HOST_DEVICE int64_t elements() const { return out * in * k * k; }
  // Offset in the stored weight of element `i` (row-major) of the active [out, in, k, k].
  SN_HOST_DEVICE int64_t sourceOffset(int64_t i) const {
    const NchwIndex e = NchwIndex::of(i, in, k, k);
    const int64_t shift = (kFull - k) / 2;
    return ((e.n * inFull + e.c) * kFull + e.h + shift) * kFull + e.w + shift;
  }
  // The inverse: element `j` of the stored weight as an offset in the active slice, or -1
  // when it lies outside (its gradient is zero).
  SN_HOST_DEVICE int64_t sliceOffset(int64_t j) const {
    const NchwIndex e = NchwIndex::of(j, inFull, kFull, kFull);
    const int64_t shift = (kFull - k) / 2;
    const int64_t kh = e.h - shift, kw = e.w - shift;
    if (e.n >= out || e.c >= in || kh < 0 || kh >= k || kw < 0 || kw >= k) return -1;
    return ((e.n * in + e.c) * k + kh) * k + kw;
  }
};

}  // namespace sn::kernels
