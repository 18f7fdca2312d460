// The general exact GPU GEMM (cuda/gemm_generic.cu): every scheme pair the golden GEMM accepts that the tensor-core
// kernels of cuda/gemm.cu do not take. Internal to the CUDA part; the public entry points are in cuda/gpu.hpp.
#pragma once
#include <string>

#include "cuda/gpu.hpp"

namespace nvfp4::cuda {

// True for the pairs the tensor-core kernels take (nvfp4 x nvfp4 with B = 16, mxfp4 x mxfp4 1-D with B = 32).
bool tensor_core_pair(const QuantSpec& a, const QuantSpec& b);
// Throws nvfp4::Error with the golden plan_gemm's message for every pair / policy it refuses.
void require_golden_gemm_pair(const QuantSpec& a, const QuantSpec& b, const AccumPolicy& policy);
// Decodes both operands into exact integer units and per-chunk scales (g.generic_ops); reuses buffers of the same size.
void prepare_generic_gemm(const gpu::DeviceQuantized& a, const gpu::DeviceQuantized& b, gpu::PreparedGemm& g,
                          cudaStream_t stream);
// Launches the CUDA-core kernel; returns the kernel in words for gpu::last_gemm_kernel().
std::string run_generic_gemm(const gpu::PreparedGemm& g, const AccumPolicy& policy, float* d_out,
                             cudaStream_t stream);

}  // namespace nvfp4::cuda
