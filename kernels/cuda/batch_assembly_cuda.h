#pragma once
// Launcher of the fused batch assembly (kernels/cuda/batch_assembly.cu); no CUDA or torch
// headers, the stream is a cudaStream_t passed as void*.
#include "kernels/batch_geometry.h"

namespace sn::kernels::cuda {

void assembleBatch(const BatchGeometry& geometry, float* out, void* stream);

}  // namespace sn::kernels::cuda
