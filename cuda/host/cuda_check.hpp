// Every CUDA runtime call goes through NVFP4_CUDA_CHECK: a failure throws nvfp4::Error naming the call, the file and
// line, and the CUDA error text, so the tools print "error: ..." and exit 2 instead of producing a wrong result.
#pragma once
#include <cuda_runtime.h>

#include <string>

#include "numerics/error.hpp"

namespace nvfp4::gpu {

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* what, const char* file, int line) {
  std::string msg = std::string("CUDA call failed: ") + what + " (" + file + ":" + std::to_string(line) +
                    "): " + cudaGetErrorName(err) + ": " + cudaGetErrorString(err);
  if (err == cudaErrorMemoryAllocation) msg += " (out of GPU memory: use smaller shapes)";
  throw Error(msg);
}

}  // namespace nvfp4::gpu

#define NVFP4_CUDA_CHECK(call)                                                              \
  do {                                                                                      \
    cudaError_t nvfp4_err_ = (call);                                                        \
    if (nvfp4_err_ != cudaSuccess) ::nvfp4::gpu::throw_cuda_error(nvfp4_err_, #call, __FILE__, __LINE__); \
  } while (0)

// After a kernel launch: launch-configuration errors now, execution errors at the next synchronization.
#define NVFP4_CUDA_CHECK_LAUNCH(name) NVFP4_CUDA_CHECK(cudaGetLastError())
