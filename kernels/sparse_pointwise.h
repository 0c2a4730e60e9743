#pragma once
#include <ATen/core/Tensor.h>

#include "kernels/csr_weight.h"

namespace sn::kernels {

// Inference of a pruned pointwise conv (1x1, stride 1, no bias) on an NCHW batch
// x [N, I, H, W] -> [N, O, H, W]: only the kept weights are read and multiplied, so the work
// falls with the sparsity, where the dense cuDNN / oneDNN path does the full O x I product.
// A linear layer is the H = W = 1 case. fp32, no autograd (inference only).
// Dispatch: the CUDA kernel for CUDA tensors when built, the host loop otherwise.
at::Tensor sparsePointwise(const CsrWeight& weight, const at::Tensor& x);

// Host loop with the CUDA kernel's arithmetic: out[n, o, :] = sum over row o's kept
// weights in stored order of value * x[n, col, :].
at::Tensor sparsePointwiseReference(const CsrWeight& weight, const at::Tensor& x);

}  // namespace sn::kernels
