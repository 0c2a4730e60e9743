#pragma once
#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sn {

// One comparison of `supernet-cli selftest`: a kernel (or the training step) on the device
// against its CPU reference, on fresh random inputs.
struct SelftestCheck {
  std::string name;
  std::string dtype;
  double maxError = 0.0;  // max |device - reference| / (1 + |reference|)
  double tolerance = 0.0;
  bool passed() const { return maxError <= tolerance; }
};

// On a CUDA device: every CUDA kernel (what the dispatcher runs there) and a sandwich
// training step against the CPU reference path. On the CPU: the fused host loops (the CUDA
// kernels' per-element code) and a fused-path training step against the ATen reference.
// TF32 is switched off while it runs, so fp32 tolerances are fp32's.
std::vector<SelftestCheck> runSelftest(const c10::Device& device, uint64_t seed);

}  // namespace sn
