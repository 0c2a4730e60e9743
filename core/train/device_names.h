#pragma once
#include <string>
#include <vector>

namespace sn {

// The devices by name, for choosers and messages (no LibTorch type: the UI includes this).
bool cudaAvailable();
// What a device chooser lists: "cpu", then "cuda:0", "cuda:1", ... for each visible GPU.
std::vector<std::string> availableDevices();
// A device name as such a chooser lists it: "cuda" (as the CLI takes it) is "cuda:0".
std::string chooserDeviceName(const std::string& name);

}  // namespace sn
