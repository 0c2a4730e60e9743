#pragma once
#include <c10/core/Device.h>
#include <string>
#include <vector>

namespace sn {

// "cpu", "cuda" or "cuda:N". InputError for an unknown name, or for CUDA when this LibTorch
// has no CUDA or sees no such GPU.
c10::Device parseDevice(const std::string& name);
bool cudaAvailable();
// What a device chooser lists: "cpu", then "cuda:0", "cuda:1", ... for each visible GPU.
std::vector<std::string> availableDevices();
// A device name as such a chooser lists it: "cuda" (as the CLI takes it) is "cuda:0".
std::string chooserDeviceName(const std::string& name);
// What a latency or throughput number was measured on: the CPU model or the GPU name.
std::string deviceDescription(const c10::Device& device);
// at::set_num_threads(threads), or every core when threads <= 0. Returns the count in use.
int useThreads(int threads);

}  // namespace sn
