#pragma once
#include <cstdint>

#include "kernels/host_device.h"

namespace sn::kernels {

// The active window of a shared [outFull, inFull, kFull, kFull] conv weight: the first
// `out` x `in` channels and the centred `k` x `k` kernel. Plain data, usable on the GPU.
struct WeightSlice {
  int64_t out, in, k;              // active sizes
  int64_t outFull, inFull, kFull;  // stored sizes

  SN_HOST_DEVICE int64_t elements() const { return out * in * k * k; }
  // Offset in the stored weight of element `i` (row-major) of the active [out, in, k, k].
  SN_HOST_DEVICE int64_t sourceOffset(int64_t i) const {
    const int64_t kw = i % k;
    const int64_t kh = (i / k) % k;
    const int64_t c = (i / (k * k)) % in;
    const int64_t o = i / (k * k * in);
    const int64_t shift = (kFull - k) / 2;
    return ((o * inFull + c) * kFull + kh + shift) * kFull + kw + shift;
  }
  // The inverse: element `j` of the stored weight as an offset in the active slice, or -1
  // when it lies outside (its gradient is zero).
  SN_HOST_DEVICE int64_t sliceOffset(int64_t j) const {
    const int64_t shift = (kFull - k) / 2;
    const int64_t kw = j % kFull - shift;
    const int64_t kh = (j / kFull) % kFull - shift;
    const int64_t c = (j / (kFull * kFull)) % inFull;
    const int64_t o = j / (kFull * kFull * inFull);
    if (o >= out || c >= in || kh < 0 || kh >= k || kw < 0 || kw >= k) return -1;
    return ((o * in + c) * k + kh) * k + kw;
  }
};

}  // namespace sn::kernels
