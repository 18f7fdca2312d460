// fp32-seq NVFP4 GEMM with Hopper warpgroup MMA (wgmma, sm_90a). Same exactness argument as cuda/gemm.cu: one
// m64n128k16 wgmma with the accumulator disabled (scale-d = 0) covers exactly one 16-element block of 128 x 64
// outputs per warpgroup, its sum is exact, and the fp32-seq adds run on the CUDA cores in block order.
// Shared memory: K-major rows of 128 bytes (64 halves) with the 128-byte swizzle (16-byte chunk c of row r at
// c ^ (r % 8)), described to wgmma as SWIZZLE_128B with 1024 bytes between 8-row groups.
// Status (H100, 2026-11-24): bit-exact (tests/cuda/gpu_kernels_test.cu, variants 2 and 3) and the default on sm_90:
// 3.51 ms at 8192^3 with 4 stages. A first version with the unswizzled core-matrix layout took 8.2 ms. Next steps:
// a producer warpgroup with TMA (cp.async.bulk.tensor) instead of cp.async by every thread, and keeping one wgmma in
// flight across the k-tile barrier.
#include "cuda/host/cuda_check.hpp"
#include "cuda/kernels/accumulate.cuh"
#include "cuda/kernels/gemm_params.cuh"

namespace nvfp4::cuda {
namespace {

constexpr int kTile = 128, kTileK = 64, kThreads = 256;
constexpr int kTileBytes = kTile * kTileK * 2;

// 128-byte swizzle (the layout of cuda/gemm.cu): row r at r * 128 bytes, 16-byte chunk c stored at chunk c ^ (r % 8).
__device__ __forceinline__ uint32_t sw_offset(int row, int chunk) { return row * 128 + ((chunk ^ (row & 7)) << 4); }

// K-major, 128-byte swizzle descriptor: start address (a k16 slice starts kk * 32 bytes into the 1024-byte-aligned
// 8-row atom; the hardware applies the swizzle), SBO = 1024 bytes between 8-row groups, layout type 1 = SWIZZLE_128B.
__device__ __forceinline__ uint64_t desc_sw128(uint32_t smem_byte_addr) {
  const uint64_t lbo = 16, sbo = 1024;
  return (static_cast<uint64_t>((smem_byte_addr & 0x3FFFF) >> 4)) | ((lbo >> 4) << 16) | ((sbo >> 4) << 32) |
         (uint64_t{1} << 62);
}

__device__ __forceinline__ void wgmma_m64n128k16_zero(float (&d)[64], uint64_t da, uint64_t db) {
  asm volatile(
      "{\n.reg .pred p;\nsetp.ne.b32 p, 0, 0;\n"
      "wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16 "
      "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,"
      "%30,%31,%32,%33,%34,%35,%36,%37,%38,%39,%40,%41,%42,%43,%44,%45,%46,%47,%48,%49,%50,%51,%52,%53,%54,%55,%56,%57,"
      "%58,%59,%60,%61,%62,%63}, %64, %65, p, 1, 1, 0, 0;\n}\n"
      : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3]), "=f"(d[4]), "=f"(d[5]), "=f"(d[6]), "=f"(d[7]), "=f"(d[8]),
        "=f"(d[9]), "=f"(d[10]), "=f"(d[11]), "=f"(d[12]), "=f"(d[13]), "=f"(d[14]), "=f"(d[15]), "=f"(d[16]),
        "=f"(d[17]), "=f"(d[18]), "=f"(d[19]), "=f"(d[20]), "=f"(d[21]), "=f"(d[22]), "=f"(d[23]), "=f"(d[24]),
        "=f"(d[25]), "=f"(d[26]), "=f"(d[27]), "=f"(d[28]), "=f"(d[29]), "=f"(d[30]), "=f"(d[31]), "=f"(d[32]),
        "=f"(d[33]), "=f"(d[34]), "=f"(d[35]), "=f"(d[36]), "=f"(d[37]), "=f"(d[38]), "=f"(d[39]), "=f"(d[40]),
        "=f"(d[41]), "=f"(d[42]), "=f"(d[43]), "=f"(d[44]), "=f"(d[45]), "=f"(d[46]), "=f"(d[47]), "=f"(d[48]),
        "=f"(d[49]), "=f"(d[50]), "=f"(d[51]), "=f"(d[52]), "=f"(d[53]), "=f"(d[54]), "=f"(d[55]), "=f"(d[56]),
        "=f"(d[57]), "=f"(d[58]), "=f"(d[59]), "=f"(d[60]), "=f"(d[61]), "=f"(d[62]), "=f"(d[63])
      : "l"(da), "l"(db));
}

template <int kStages>
__global__ void __launch_bounds__(kThreads, 1) gemm_wgmma_kernel(GemmParams p) {
  extern __shared__ __align__(1024) uint8_t smem_raw[];
  // swizzle atoms must start on 1024-byte boundaries: round the base up (the launch adds 1 KiB of slack)
  uint8_t* smem = smem_raw + ((1024 - (static_cast<uint32_t>(__cvta_generic_to_shared(smem_raw)) & 1023)) & 1023);
  const int tid = threadIdx.x, wg = tid >> 7, lane = tid & 31, warp_in_wg = (tid >> 5) & 3;
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * kTile, n0 = static_cast<int64_t>(blockIdx.x) * kTile;
  const int ktiles = static_cast<int>(p.k_pad / kTileK);
  const uint32_t base = static_cast<uint32_t>(__cvta_generic_to_shared(smem));

  auto load_tile = [&](int stage, int kt) {
    const uint32_t a_base = base + stage * 2 * kTileBytes, b_base = a_base + kTileBytes;
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const int id = tid + i * kThreads, row = id >> 3, ch = id & 7;
      const int64_t koff = static_cast<int64_t>(kt) * kTileK + ch * 8;
      asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(a_base + sw_offset(row, ch)),
                   "l"(p.a16 + (m0 + row) * p.k_pad + koff));
      asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(b_base + sw_offset(row, ch)),
                   "l"(p.b16 + (n0 + row) * p.k_pad + koff));
    }
  };

  float acc[64];
#pragma unroll
  for (int i = 0; i < 64; ++i) acc[i] = 0.0f;

#pragma unroll
  for (int s = 0; s < kStages - 1; ++s) {
    if (s < ktiles) load_tile(s, s);
    asm volatile("cp.async.commit_group;\n" ::);
  }
  for (int kt = 0; kt < ktiles; ++kt) {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(kStages - 2));
    asm volatile("fence.proxy.async.shared::cta;\n" ::);  // cp.async data is read next by the tensor cores
    __syncthreads();
    if (kt + kStages - 1 < ktiles) load_tile((kt + kStages - 1) % kStages, kt + kStages - 1);
    asm volatile("cp.async.commit_group;\n" ::);

    const uint32_t a_base = base + (kt % kStages) * 2 * kTileBytes, b_base = a_base + kTileBytes;
    const int64_t g0 = static_cast<int64_t>(kt) * (kTileK / 16);
    const int live = static_cast<int>(p.groups - g0 < kTileK / 16 ? p.groups - g0 : kTileK / 16);
    // Two result buffers: the wgmma of step kk + 1 runs on the tensor cores while the adds of step kk run on the
    // CUDA cores (wait_group 1 leaves the newest group in flight).
    float t[2][64];
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
    wgmma_m64n128k16_zero(t[0], desc_sw128(a_base + wg * 64 * 128), desc_sw128(b_base));
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
#pragma unroll
    for (int kk = 0; kk < kTileK / 16; ++kk) {
      if (kk + 1 < kTileK / 16) {
        asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
        wgmma_m64n128k16_zero(t[(kk + 1) & 1], desc_sw128(a_base + wg * 64 * 128 + (kk + 1) * 32),
                              desc_sw128(b_base + (kk + 1) * 32));
        asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
        asm volatile("wgmma.wait_group.sync.aligned 1;\n" ::: "memory");
      } else {
        asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
      }
      if (kk < live) {
#pragma unroll
        for (int i = 0; i < 64; ++i) acc[i] = __fadd_rn(acc[i], t[kk & 1][i]);
      }
    }
  }
  asm volatile("cp.async.wait_group 0;\n" ::);

  // accumulator layout of m64nN: warp w of the warpgroup owns rows 16w + {g, g + 8}; n8 chunk j holds
  // acc[4j + 0, 1] = (row g, cols 8j + 2t, +1) and acc[4j + 2, 3] = (row g + 8, same cols)
  const int g = lane >> 2, t4 = lane & 3;
#pragma unroll
  for (int j = 0; j < 16; ++j)
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      const int64_t row = m0 + wg * 64 + warp_in_wg * 16 + g + (r >= 2 ? 8 : 0);
      const int64_t col = n0 + j * 8 + t4 * 2 + (r & 1);
      if (row < p.m && col < p.n) p.d[row * p.n + col] = finish_output(acc[4 * j + r], p.tensor_scale_product, false);
    }
}

}  // namespace

template <int kStages>
void launch_stages(const GemmParams& p, int64_t m_pad, int64_t n_pad, cudaStream_t stream) {
  const int smem = kStages * 2 * kTileBytes + 1024;
  NVFP4_CUDA_CHECK(cudaFuncSetAttribute(gemm_wgmma_kernel<kStages>, cudaFuncAttributeMaxDynamicSharedMemorySize, smem));
  const dim3 grid(static_cast<unsigned>(n_pad / kTile), static_cast<unsigned>(m_pad / kTile));
  gemm_wgmma_kernel<kStages><<<grid, kThreads, smem, stream>>>(p);
  NVFP4_CUDA_CHECK_LAUNCH("gemm wgmma");
}

bool launch_gemm_wgmma_fp32seq(const GemmParams& p, int64_t m_pad, int64_t n_pad, cudaStream_t stream, int stages) {
  int dev = 0, major = 0, minor = 0;
  NVFP4_CUDA_CHECK(cudaGetDevice(&dev));
  NVFP4_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev));
  NVFP4_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev));
  if (major != 9 || minor != 0) return false;
  if (stages == 4) launch_stages<4>(p, m_pad, n_pad, stream);
  else launch_stages<3>(p, m_pad, n_pad, stream);
  return true;
}

}  // namespace nvfp4::cuda
