#pragma once
#include <ATen/core/Tensor.h>
#include <atomic>
#include <functional>
#include <string>

namespace sn {

class BatchLoader;

// A written model file loaded back by a runtime that knows nothing of Supernet Studio:
// OpenCV's DNN module for ONNX, LibTorch's JIT for TorchScript. Export checks its files
// through this, as a deployment would run them.
class ExportedModel {
 public:
  static ExportedModel loadOnnxWithOpenCv(const std::string& path);
  static ExportedModel loadTorchScript(const std::string& path);

  // Logits [N, classes] of float NCHW images on the CPU.
  at::Tensor logits(const at::Tensor& images) const;
  // Top-1 on the whole split, `batch` images at a time. Throws Cancelled when `stop` is set.
  double accuracy(const BatchLoader& test, int64_t batch, const std::atomic<bool>* stop = nullptr) const;
  const std::string& runtime() const { return runtime_; }

 private:
  ExportedModel(std::string runtime, std::function<at::Tensor(const at::Tensor&)> run)
      : runtime_(std::move(runtime)), run_(std::move(run)) {}

  std::string runtime_;
  std::function<at::Tensor(const at::Tensor&)> run_;
};

// Largest absolute difference between two tensors of the same shape.
double maxAbsDifference(const at::Tensor& a, const at::Tensor& b);

}  // namespace sn
