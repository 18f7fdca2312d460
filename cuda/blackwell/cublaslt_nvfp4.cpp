// cuBLASLt block-scaled NVFP4 GEMM (Blackwell only; see native.hpp). Row-major D = A x B^T is computed as the
// column-major product D^T (n x m) = op_T(B) x op_N(A), the "TN" layout cuBLASLt requires for FP4 operands.
#include <cublasLt.h>

#include <memory>
#include <string>

#include "cuda/native.hpp"
#include "numerics/error.hpp"

namespace nvfp4::gpu {
namespace {

void check_lt(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw Error(std::string("cuBLASLt call failed: ") + what + ": status " + std::to_string(static_cast<int>(s)));
}

struct LtHandle {
  cublasLtHandle_t h = nullptr;
  LtHandle() { check_lt(cublasLtCreate(&h), "cublasLtCreate"); }
  ~LtHandle() { cublasLtDestroy(h); }
};
struct LtDesc {
  cublasLtMatmulDesc_t d = nullptr;
  LtDesc() { check_lt(cublasLtMatmulDescCreate(&d, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate"); }
  ~LtDesc() { cublasLtMatmulDescDestroy(d); }
};
struct LtLayout {
  cublasLtMatrixLayout_t l = nullptr;
  LtLayout(cudaDataType t, uint64_t rows, uint64_t cols, int64_t ld) {
    check_lt(cublasLtMatrixLayoutCreate(&l, t, rows, cols, ld), "cublasLtMatrixLayoutCreate");
  }
  ~LtLayout() { cublasLtMatrixLayoutDestroy(l); }
};

}  // namespace

bool native_fp4_supported(const DeviceInfo& d) { return d.cc_major == 10 || d.cc_major == 12; }

std::vector<uint8_t> scales_to_cublas_tiled(const uint8_t* scales, int64_t rows, int64_t kblocks) {
  const int64_t row_tiles = (rows + 127) / 128, col_tiles = (kblocks + 3) / 4;
  std::vector<uint8_t> out(static_cast<size_t>(row_tiles * col_tiles * 512), 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < kblocks; ++c) {
      const int64_t tile = (r / 128) * col_tiles + c / 4;
      const int64_t rr = r % 128, cc = c % 4;
      out[static_cast<size_t>(tile * 512 + (rr % 32) * 16 + (rr / 32) * 4 + cc)] = scales[r * kblocks + c];
    }
  return out;
}

void native_gemm_nvfp4_cublaslt(const DeviceQuantized& a, const DeviceQuantized& b, float* d_out,
                                cudaStream_t stream) {
  const DeviceInfo dev = device_info();
  if (!native_fp4_supported(dev))
    throw Error("the cuBLASLt NVFP4 GEMM needs a Blackwell GPU (sm_100a/sm_120a); this device is " + dev.name +
                " (sm_" + std::to_string(dev.cc_major) + std::to_string(dev.cc_minor) + ")");
  if (a.spec.scheme != Scheme::NVFP4 || b.spec.scheme != Scheme::NVFP4 || a.spec.block != 16 || b.spec.block != 16 ||
      a.spec.block_2d || b.spec.block_2d)
    throw Error("the cuBLASLt NVFP4 GEMM takes nvfp4 operands with 1-D blocks of 16");
  if (a.cols != b.cols) throw Error("cuBLASLt NVFP4 GEMM: reduction dimensions differ");
  if (a.cols % 32 != 0 || a.rows % 16 != 0 || b.rows % 16 != 0)
    throw Error("cuBLASLt NVFP4 GEMM: needs K % 32 == 0 and M, N % 16 == 0");
  const int64_t m = a.rows, n = b.rows, k = a.cols, kb = k / 16;

  // scales in cuBLAS's tiled layout
  const std::vector<uint8_t> sa = scales_to_cublas_tiled(a.scales.download().data(), m, kb);
  const std::vector<uint8_t> sb = scales_to_cublas_tiled(b.scales.download().data(), n, kb);
  DeviceBuffer<uint8_t> d_sa(sa.size(), "cuBLAS A scales"), d_sb(sb.size(), "cuBLAS B scales");
  d_sa.upload(sa);
  d_sb.upload(sb);

  LtHandle handle;
  LtDesc desc;
  const cublasOperation_t op_t = CUBLAS_OP_T, op_n = CUBLAS_OP_N;
  check_lt(cublasLtMatmulDescSetAttribute(desc.d, CUBLASLT_MATMUL_DESC_TRANSA, &op_t, sizeof op_t), "TRANSA");
  check_lt(cublasLtMatmulDescSetAttribute(desc.d, CUBLASLT_MATMUL_DESC_TRANSB, &op_n, sizeof op_n), "TRANSB");
  const cublasLtMatmulMatrixScale_t mode = CUBLASLT_MATMUL_MATRIX_SCALE_VEC16_UE4M3;
  // cuBLAS "A" is our B (n x k), cuBLAS "B" is our A.
  const void* a_scale = d_sb.get();
  const void* b_scale = d_sa.get();
  check_lt(cublasLtMatmulDescSetAttribute(desc.d, CUBLASLT_MATMUL_DESC_A_SCALE_MODE, &mode, sizeof mode), "A mode");
  check_lt(cublasLtMatmulDescSetAttribute(desc.d, CUBLASLT_MATMUL_DESC_B_SCALE_MODE, &mode, sizeof mode), "B mode");
  check_lt(cublasLtMatmulDescSetAttribute(desc.d, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &a_scale, sizeof a_scale),
           "A scales");
  check_lt(cublasLtMatmulDescSetAttribute(desc.d, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &b_scale, sizeof b_scale),
           "B scales");
  LtLayout la(CUDA_R_4F_E2M1, k, n, k), lb(CUDA_R_4F_E2M1, k, m, k), ld(CUDA_R_32F, n, m, n);
  const float alpha = a.tensor_scale * b.tensor_scale, beta = 0.0f;
  check_lt(cublasLtMatmul(handle.h, desc.d, &alpha, b.codes.get(), la.l, a.codes.get(), lb.l, &beta, d_out, ld.l,
                          d_out, ld.l, nullptr, nullptr, 0, stream),
           "cublasLtMatmul (NVFP4)");
}

}  // namespace nvfp4::gpu
