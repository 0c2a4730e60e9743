#include "core/export/exported_model.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <memory>
#include <opencv2/core/version.hpp>
#include <opencv2/dnn.hpp>

#include "core/evaluate/top_one_accuracy.h"
#include "core/util/input_error.h"

namespace sn {

ExportedModel ExportedModel::loadOnnxWithOpenCv(const std::string& path) {
  auto net = std::make_shared<cv::dnn::Net>();
  try {
    *net = cv::dnn::readNetFromONNX(path);
  } catch (const cv::Exception& e) {
    throw InputError(path + ": OpenCV cannot load this ONNX model: " + e.what());
  }
  auto run = [net, path](const at::Tensor& images) {
    const at::Tensor in = images.to(at::kCPU, at::kFloat).contiguous();
    std::vector<int> dims(in.sizes().begin(), in.sizes().end());
    const cv::Mat blob(static_cast<int>(dims.size()), dims.data(), CV_32F, in.data_ptr<float>());
    cv::Mat out;
    try {
      net->setInput(blob);
      out = net->forward();
    } catch (const cv::Exception& e) {
      throw std::runtime_error(path + ": OpenCV DNN failed to run the model: " + e.what());
    }
    if (!out.isContinuous() || out.total() % static_cast<size_t>(in.size(0)) != 0) {
      throw std::runtime_error(path + ": OpenCV returned an output of unexpected size");
    }
    const int64_t classes = static_cast<int64_t>(out.total()) / in.size(0);
    return torch::from_blob(out.ptr<float>(), {in.size(0), classes}, torch::kFloat).clone();
  };
  return ExportedModel(std::string("OpenCV ") + CV_VERSION + " DNN", run);
}

ExportedModel ExportedModel::loadTorchScript(const std::string& path) {
  auto module = std::make_shared<torch::jit::Module>();
  try {
    *module = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error& e) {
    throw InputError(path + ": LibTorch cannot load this TorchScript model: " + e.what_without_backtrace());
  }
  module->eval();
  auto run = [module](const at::Tensor& images) {
    torch::NoGradGuard noGrad;
    return module->forward({images.to(at::kCPU, at::kFloat).contiguous()}).toTensor();
  };
  return ExportedModel("LibTorch " TORCH_VERSION " JIT", run);
}

at::Tensor ExportedModel::logits(const at::Tensor& images) const { return run_(images); }

double ExportedModel::accuracy(const BatchLoader& test, int64_t batch, const std::atomic<bool>* stop) const {
  return topOneAccuracy(run_, test, batch, stop);
}

double maxAbsDifference(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kCPU, at::kFloat) - b.to(at::kCPU, at::kFloat)).abs().max().item<double>();
}

}  // namespace sn
