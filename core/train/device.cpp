#include "core/train/device.h"

#include <torch/torch.h>

#include <fstream>
#include <thread>

#include "core/util/input_error.h"
#ifdef SUPERNET_WITH_CUDA
#include "kernels/cuda_device_info.h"
#endif

namespace sn {

c10::Device parseDevice(const std::string& name) {
  if (name == "cpu") return c10::Device(c10::kCPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!cudaAvailable()) {
      throw InputError("device '" + name +
                       "': CUDA is not available (this LibTorch was built without CUDA, or no "
                       "GPU is visible); use --device cpu");
    }
    int index = 0;
    if (name.size() > 5) {
      try {
        index = std::stoi(name.substr(5));
      } catch (const std::exception&) {
        throw InputError("device '" + name + "': expected cuda:N with N a GPU index");
      }
    }
    const int count = static_cast<int>(torch::cuda::device_count());
    if (index < 0 || index >= count) {
      throw InputError("device '" + name + "': there are " + std::to_string(count) + " GPUs");
    }
    return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw InputError("unknown device '" + name + "' (use cpu, cuda or cuda:N)");
}

std::string deviceDescription(const c10::Device& device) {
#ifdef SUPERNET_WITH_CUDA
  if (device.is_cuda()) return "cuda: " + kernels::cudaDeviceName(device.index());
#endif
  if (device.is_cuda()) return "cuda:" + std::to_string(device.index());
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return "cpu: " + line.substr(colon + 2);
    }
  }
  return "cpu";
}

int useThreads(int threads) {
  const int n = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  at::set_num_threads(std::max(n, 1));
  return at::get_num_threads();
}

}  // namespace sn
