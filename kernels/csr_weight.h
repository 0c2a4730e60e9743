#pragma once
#include <ATen/core/Tensor.h>

namespace sn::kernels {

// A pruned pointwise-conv / linear weight [rows = out channels, cols = in channels] in
// compressed sparse rows: rowPtr [rows + 1] and colIndex [nnz] int32, values [nnz] fp32,
// on the device the weight was on. Only the weights the mask kept are stored.
struct CsrWeight {
  at::Tensor rowPtr;
  at::Tensor colIndex;
  at::Tensor values;
  int64_t rows = 0;
  int64_t cols = 0;

  int64_t nonZeros() const { return values.defined() ? values.numel() : 0; }
  double sparsity() const {
    return 1.0 - static_cast<double>(nonZeros()) / static_cast<double>(rows * cols);
  }
  // `weight` is [O, I] or [O, I, 1, 1]; exact zeros (pruned weights) are dropped.
  static CsrWeight fromDense(const at::Tensor& weight);
  at::Tensor toDense() const;  // [rows, cols], for checks
};

}  // namespace sn::kernels
