#pragma once
#include <c10/core/Device.h>
#include <string>

#include "core/train/device_names.h"

namespace sn {

// "cpu", "cuda" or "cuda:N". InputError for an unknown name, or for CUDA when this LibTorch
// has no CUDA or sees no such GPU.
c10::Device parseDevice(const std::string& name);
// What a latency or throughput number was measured on: the CPU model or the GPU name.
std::string deviceDescription(const c10::Device& device);
// at::set_num_threads(threads), or every core when threads <= 0. Returns the count in use.
int useThreads(int threads);

}  // namespace sn
