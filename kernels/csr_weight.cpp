#include "kernels/csr_weight.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

namespace sn::kernels {

CsrWeight CsrWeight::fromDense(const at::Tensor& weight) {
  TORCH_CHECK(weight.dim() == 2 || (weight.dim() == 4 && weight.size(2) == 1 && weight.size(3) == 1),
              "CsrWeight: a pointwise [O, I, 1, 1] or linear [O, I] weight, got ", weight.sizes());
  const at::Tensor w = weight.detach().reshape({weight.size(0), weight.size(1)})
                           .to(at::kCPU, at::kFloat).contiguous();
  const int64_t rows = w.size(0), cols = w.size(1);
  const float* data = w.data_ptr<float>();
  std::vector<int32_t> rowPtr(rows + 1, 0), colIndex;
  std::vector<float> values;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      if (data[r * cols + c] == 0.0f) continue;
      colIndex.push_back(static_cast<int32_t>(c));
      values.push_back(data[r * cols + c]);
    }
    rowPtr[r + 1] = static_cast<int32_t>(values.size());
  }
  auto fromVector = [&](const auto& v, at::ScalarType type) {
    return at::tensor(at::ArrayRef(v), at::TensorOptions().dtype(type)).to(weight.device());
  };
  CsrWeight csr;
  csr.rowPtr = fromVector(rowPtr, at::kInt);
  csr.colIndex = fromVector(colIndex, at::kInt);
  csr.values = fromVector(values, at::kFloat);
  csr.rows = rows;
  csr.cols = cols;
  return csr;
}

at::Tensor CsrWeight::toDense() const {
  at::Tensor dense = at::zeros({rows, cols}, at::kFloat);
  const at::Tensor ptr = rowPtr.cpu(), col = colIndex.cpu(), val = values.cpu();
  for (int64_t r = 0; r < rows; ++r) {
    for (int32_t k = ptr[r].item<int32_t>(); k < ptr[r + 1].item<int32_t>(); ++k) {
      dense[r][col[k].item<int32_t>()] = val[k].item<float>();
    }
  }
  return dense;
}

}  // namespace sn::kernels
