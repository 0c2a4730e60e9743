#pragma once
// Per-element arithmetic of a kernel is written once, in headers that both nvcc (inside the
// CUDA kernel) and the host compiler (inside the CPU loop of the same op) compile, so the CPU
// tests exercise the very index math the GPU runs.
#if defined(__CUDACC__)
#define SN_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define SN_HOST_DEVICE inline
#endif
