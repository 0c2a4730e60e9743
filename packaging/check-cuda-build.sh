#!/usr/bin/env bash
# Compiles kernels/cuda/*.cu with nvcc for CMAKE_CUDA_ARCHITECTURES (default 90: H100/H200)
# and the CUDA branches of the kernels' glue against LibTorch's ATen/cuda headers, in a
# scratch build folder. This catches CUDA build breaks on machines without a GPU or a CUDA
# LibTorch; it runs nothing on a GPU. Exit 77 (CTest: skipped) when there is no nvcc.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
if [ ! -x "$nvcc" ] && ! nvcc=$(command -v nvcc); then
  echo "no nvcc (set CUDACXX): CUDA compile check skipped"
  exit 77
fi
build=${1:-$root/build/cuda-compile-check}
cmake -S "$root" -B "$build" -G Ninja -DSUPERNET_CUDA=ON -DSUPERNET_BUILD_GUI=OFF \
  -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES="${SN_CUDA_ARCH:-90}" >/dev/null
targets=(supernet_cuda_kernels)
# With a CUDA LibTorch the glue is part of supernet_kernels itself.
if grep -q supernet_cuda_glue_check "$build/build.ninja"; then
  targets+=(supernet_cuda_glue_check)
else
  targets+=(supernet_kernels)
fi
cmake --build "$build" --target "${targets[@]}"
echo "CUDA compile check passed: ${targets[*]}"
