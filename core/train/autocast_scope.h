#pragma once
#include <c10/core/Device.h>

namespace sn {

// bf16 autocast for the device's type while in scope (no-op when `enabled` is false): convs
// and matmuls run in bf16, the fp32 master weights are cast on the fly and get fp32
// gradients. Restores the previous state on exit. LibTorch 1.13's API; 2.4+ keeps it
// (deprecated in favour of the per-device-type calls).
class AutocastScope {
 public:
  AutocastScope(const c10::Device& device, bool enabled);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  bool cuda_;
  bool wasEnabled_ = false;
};

}  // namespace sn
