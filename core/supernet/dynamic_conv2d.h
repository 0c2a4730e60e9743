#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace sn {

// A conv whose weight is the largest of every subnet's: a subnet uses its first output and
// input channels and the centre of its kernel, or with kernel transformation matrices that
// centre transformed (Once-for-All's elastic kernel and expand).
// An optional per-weight mask (pruning) multiplies the weight in forward.
class DynamicConv2dImpl : public torch::nn::Module {
 public:
  DynamicConv2dImpl(int64_t inMax, int64_t outMax, int64_t kernelMax, int64_t stride,
                    bool depthwise, bool bias);

  // Output channels `out` (ignored for depthwise: it equals the input's), kernel `kernel`.
  torch::Tensor forward(const torch::Tensor& x, int64_t out, int64_t kernel);
  // The weight and bias a subnet with these widths uses (mask applied), for extraction.
  torch::Tensor activeWeight(int64_t in, int64_t out, int64_t kernel) const;
  torch::Tensor activeBias(int64_t out) const;

  // Once-for-All's kernel transformation matrices for a depthwise conv: one trainable
  // (k*k x k*k) matrix per pair of neighbouring kernel choices, identity at first, applied
  // to the centre of the next larger kernel in turn (parameters "matrix_7to5", ...).
  void enableKernelTransform(const std::vector<int>& kernels);
  static std::string transformName(int from, int to);

  // Adds a mask buffer of ones; from then on forward multiplies by it.
  void enableMask();
  bool hasMask() const { return mask.defined(); }

  int64_t stride() const { return stride_; }
  bool depthwise() const { return depthwise_; }
  int64_t kernelMax() const { return weight.size(2); }

  torch::Tensor weight;
  torch::Tensor bias;  // undefined without bias
  torch::Tensor mask;  // undefined until enableMask()
  std::vector<torch::Tensor> transforms;  // transforms[i]: kernels[i+1] -> kernels[i]
  // Pruned weights still learn (straight-through: the gradient of the masked weight is
  // passed to the stored one), so magnitude pruning that recomputes its masks can bring a
  // weight back. Off: a pruned weight gets no gradient.
  bool straightThrough = false;

 private:
  torch::Tensor transformed(const torch::Tensor& full, int64_t kernel) const;

  std::vector<int> transformKernels_;
  int64_t stride_;
  bool depthwise_;
};
TORCH_MODULE(DynamicConv2d);

}  // namespace sn
