#include "core/train/device_names.h"

#include <torch/torch.h>

namespace sn {

bool cudaAvailable() { return torch::cuda::is_available(); }

std::vector<std::string> availableDevices() {
  std::vector<std::string> devices = {"cpu"};
  if (!cudaAvailable()) return devices;
  for (size_t i = 0; i < torch::cuda::device_count(); ++i)
    devices.push_back("cuda:" + std::to_string(i));
  return devices;
}

std::string chooserDeviceName(const std::string& name) { return name == "cuda" ? "cuda:0" : name; }

}  // namespace sn
