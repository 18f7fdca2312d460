// Host API of the CUDA part: bit-exact GPU quantize, dequantize and block-scaled GEMM with the storage layout and the
// semantics of the numerics core (numerics/quantize.hpp, numerics/gemm.hpp). Every entry point throws nvfp4::Error
// for unsupported specs or shapes, mismatched operands, CUDA failures and out-of-memory.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cuda/host/device_buffer.hpp"
#include "numerics/gemm.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::gpu {

// ---- device discovery
struct DeviceInfo {
  int index = 0;
  std::string name;
  int cc_major = 0, cc_minor = 0;
  int multiprocessors = 0;
  size_t global_memory_bytes = 0;
  int driver_version = 0;   // cudaDriverGetVersion (the CUDA API level the driver supports), e.g. 13000
  std::string kernel_driver;  // first line of /proc/driver/nvidia/version (e.g. "... 580.159.04 ..."), when readable
  int runtime_version = 0;  // cudaRuntimeGetVersion
};
// True when a usable CUDA device exists; otherwise `why` says what is missing (no driver, no device, ...).
bool device_present(std::string* why = nullptr);
DeviceInfo device_info(int index = 0);

// ---- quantized tensors on the device (same layout as nvfp4::QuantizedTensor)
struct DeviceQuantized {
  QuantSpec spec;
  int64_t rows = 0, cols = 0;
  DeviceBuffer<uint8_t> codes;   // rows x row_stride bytes
  DeviceBuffer<uint8_t> scales;  // block scale codes (may be empty)
  float tensor_scale = 1.0f;

  DeviceBuffer<uint8_t> scratch;  // amax reduction result (16 bytes), kept so repeated quantization allocates nothing

  static DeviceQuantized upload(const QuantizedTensor& q);
  QuantizedTensor download() const;
};

// Throws nvfp4::Error naming the field when `spec` has no GPU kernel (every scheme has one; the spec must validate).
void require_gpu_quantize_support(const QuantSpec& spec);

// x: rows x cols fp32 on the device, row-major. Refuses NaN/Inf (naming the first position) unless
// spec.follow_hardware_on_nonfinite. The stream is synchronized once (to read the tensor amax).
DeviceQuantized quantize(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, cudaStream_t stream = 0);
// The same into `q`, reusing its buffers when they have the right size (no allocation in steady state).
void quantize_into(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, DeviceQuantized& q,
                   cudaStream_t stream = 0);
// One pass, no synchronization: the tensor amax is given (delayed scaling, e.g. an amax history). The bits equal
// quantize()'s when `amax` is the tensor's true max |x|; NaN/Inf inputs are NOT detected on this path.
void quantize_with_amax(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, float amax,
                        DeviceQuantized& q, cudaStream_t stream = 0);
// out: rows x cols fp32 on the device.
void dequantize(const DeviceQuantized& q, float* d_out, cudaStream_t stream = 0);

// ---- block-scaled GEMM D = A x B^T
// nvfp4 x nvfp4 (B = 16) and mxfp4 x mxfp4 (1-D, B = 32): operands expanded once to fp16 tiles (scales folded in for
// NVFP4, where every product element*scale is exact in fp16), padded to the kernel tile; then the MMA kernel with the
// policy's accumulation. Every other pair the golden GEMM accepts: the general exact path (GenericGemmOperands).
// Operands of the general exact path (cuda/gemm_generic.cu): elements as exact integers (value = unit * 2^unit_exp),
// block scales decoded per chunk of the reduction (the golden GemmPlan's chunk).
struct GenericGemmOperands {
  Scheme a_scheme = Scheme::NVFP4, b_scheme = Scheme::NVFP4;
  int chunk = 16;
  int a_unit_exp = -1, b_unit_exp = -1;          // E2M1 -1 (half units), fp8 -9, fp16 -24, int4 0
  int a_scale_min_exp = 0, b_scale_min_exp = 0;  // MMA-Sim's minimum scale exponent (blackwell-mma)
  bool b_wide = false;                           // B units need int64 (fp16), else int32
  int64_t m_pad = 0, n_pad = 0, k_pad = 0, chunks = 0;
  DeviceBuffer<int8_t> ua;        // [m_pad][k_pad] A half units
  DeviceBuffer<uint8_t> ub;       // [n_pad][k_pad] B units, int32 or int64
  DeviceBuffer<uint8_t> fb;       // [n][k] B element class: 0 finite, 1 +Inf, 2 -Inf, 3 NaN (fp8 / fp16 only)
  DeviceBuffer<uint8_t> special;  // [n_pad][chunks] 1 when the chunk of B holds a non-finite element
  DeviceBuffer<float> sa, sb;     // [m_pad][chunks], [n_pad][chunks] block scales (1 when unscaled)
};

struct PreparedGemm {
  bool generic = false;         // true: the general CUDA-core path (generic_ops), not the tensor-core tiles
  GenericGemmOperands generic_ops;
  int64_t m = 0, n = 0, k = 0;
  int64_t m_pad = 0, n_pad = 0, k_pad = 0;
  int block = 16;
  bool mx = false;              // MXFP4: raw E2M1 in the tiles, UE8M0 scales applied per block term
  DeviceBuffer<uint16_t> a16;   // m_pad x k_pad fp16 bits
  DeviceBuffer<uint16_t> b16;   // n_pad x k_pad fp16 bits
  DeviceBuffer<uint8_t> sa, sb; // MXFP4 only: [m][blocks], [n][blocks]
  float tensor_scale_product = 1.0f;  // fp32(s_tA * s_tB)
};
// Throws, with the golden GEMM's message, for the scheme pairs and policies it refuses; mismatched K.
void require_gpu_gemm_support(const QuantSpec& a, const QuantSpec& b, const AccumPolicy& policy);
PreparedGemm prepare_gemm(const DeviceQuantized& a, const DeviceQuantized& b, cudaStream_t stream = 0);
// The same into `g`, reusing its buffers when the padded shape is unchanged (no allocation in steady state).
void prepare_gemm_into(const DeviceQuantized& a, const DeviceQuantized& b, PreparedGemm& g, cudaStream_t stream = 0);
void run_gemm(const PreparedGemm& g, const AccumPolicy& policy, float* d_out, cudaStream_t stream = 0);
// The GEMM kernel the last run_gemm call of this thread launched, in words (for reports), e.g.
// "wgmma warp-specialized 192x128, one CTA per tile (sm_90a)" or "mma.sync m16n8k16, blackwell-mma, nvfp4".
std::string last_gemm_kernel();

// ---- whole-tensor conversions for the exhaustive test (n elements from the bit pattern `first` upward)
// kind: 0 = E2M1 rn, 1 = E2M1 rz, 2 = E4M3 satfinite rn, 3 = UE8M0 rz, 4 = UE8M0 rp, 5 = E2M1 rn (compare form
// used by the quantize kernels). out: n bytes on the device.
void convert_range(int kind, uint32_t first, uint32_t n, uint8_t* d_out, cudaStream_t stream = 0);

// ---- host conveniences (copy in, run, copy out)
QuantizedTensor quantize_host(const float* x, int64_t rows, int64_t cols, const QuantSpec& spec);
std::vector<float> dequantize_host(const QuantizedTensor& q);
std::vector<float> gemm_host(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy);

}  // namespace nvfp4::gpu
