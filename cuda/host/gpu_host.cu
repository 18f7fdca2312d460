// Device discovery, host <-> device copies of quantized tensors, and the copy-in/run/copy-out conveniences.
#include <fstream>
#include <string>

#include "cuda/gpu.hpp"
#include "numerics/error.hpp"

namespace nvfp4::gpu {

bool device_present(std::string* why) {
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();
    if (why) *why = std::string("no usable CUDA driver/device: ") + cudaGetErrorString(err);
    return false;
  }
  if (count == 0) {
    if (why) *why = "no CUDA device found";
    return false;
  }
  return true;
}

DeviceInfo device_info(int index) {
  DeviceInfo d;
  cudaDeviceProp prop{};
  NVFP4_CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
  d.index = index;
  d.name = prop.name;
  d.cc_major = prop.major;
  d.cc_minor = prop.minor;
  d.multiprocessors = prop.multiProcessorCount;
  d.global_memory_bytes = prop.totalGlobalMem;
  NVFP4_CUDA_CHECK(cudaDriverGetVersion(&d.driver_version));
  NVFP4_CUDA_CHECK(cudaRuntimeGetVersion(&d.runtime_version));
  std::ifstream version("/proc/driver/nvidia/version");
  if (version) std::getline(version, d.kernel_driver);
  return d;
}

DeviceQuantized DeviceQuantized::upload(const QuantizedTensor& q) {
  DeviceQuantized d;
  d.spec = q.spec;
  d.rows = q.rows;
  d.cols = q.cols;
  d.tensor_scale = q.tensor_scale;
  const size_t want_codes = static_cast<size_t>(q.rows * q.row_stride_bytes());
  if (q.codes.size() != want_codes)
    throw Error("gpu upload: codes hold " + std::to_string(q.codes.size()) + " bytes, a " + std::to_string(q.rows) +
                " x " + std::to_string(q.cols) + " " + std::to_string(code_bits(q.spec.scheme)) +
                "-bit tensor needs " + std::to_string(want_codes));
  d.codes.allocate(q.codes.size(), "codes");
  d.codes.upload(q.codes);
  if (!q.scales.empty()) {
    d.scales.allocate(q.scales.size(), "scales");
    d.scales.upload(q.scales);
  }
  return d;
}

QuantizedTensor DeviceQuantized::download() const {
  QuantizedTensor q;
  q.spec = spec;
  q.rows = rows;
  q.cols = cols;
  q.tensor_scale = tensor_scale;
  q.codes = codes.download();
  q.scales = scales.download();
  return q;
}

QuantizedTensor quantize_host(const float* x, int64_t rows, int64_t cols, const QuantSpec& spec) {
  require_gpu_quantize_support(spec);
  DeviceBuffer<float> dx(static_cast<size_t>(rows * cols), "input tensor");
  dx.upload(x, static_cast<size_t>(rows * cols));
  return quantize(dx.get(), rows, cols, spec).download();
}

std::vector<float> dequantize_host(const QuantizedTensor& q) {
  DeviceQuantized d = DeviceQuantized::upload(q);
  DeviceBuffer<float> out(static_cast<size_t>(q.rows * q.cols), "dequantized output");
  dequantize(d, out.get());
  NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
  return out.download();
}

std::vector<float> gemm_host(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy) {
  require_gpu_gemm_support(a.spec, b.spec, policy);
  DeviceQuantized da = DeviceQuantized::upload(a), db = DeviceQuantized::upload(b);
  PreparedGemm g = prepare_gemm(da, db);
  DeviceBuffer<float> d(static_cast<size_t>(g.m * g.n), "gemm output");
  run_gemm(g, policy, d.get());
  NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
  return d.download();
}

}  // namespace nvfp4::gpu
