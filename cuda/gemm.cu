// Block-scaled GEMM D = A x B^T on Hopper/Ampere tensor cores, bit-exact with nvfp4::gemm (nvfp4 x nvfp4, mxfp4 x
// mxfp4; every other pair goes to cuda/gemm_generic.cu).
//
// Why it is exact: every E2M1 element times its UE4M3 block scale is exactly representable in fp16 (<= 6 significant
// bits, magnitudes 2^-10 .. 2688), so the prepared operands A16 = fp16(q * sa) and B16 = fp16(q * sb) are exact.
// One m16n8k16 fp16 MMA with a zero accumulator covers exactly one 16-element block; its 16 products share the factor
// sa * sb and are multiples of sa * sb / 4 within a 2^8 range, so the tensor core's sum is exact and equals the golden
// model's block term sa * sb * sum(qa * qb) (an fp32 value with <= 20 significant bits). The policy's accumulation
// (fp32-seq: one IEEE add per block in k order; blackwell-mma: the MMA-Sim chunk arithmetic) then runs on the CUDA cores.
// MXFP4 (UE8M0 scales, too wide for fp16) keeps raw E2M1 in the tiles and applies 2^(ea + eb - 254) per group term.
//
// Tiling: CTA 128 x 128, k-tile 64 (4 NVFP4 blocks = one blackwell-mma chunk), 8 warps of 64 x 32, 3-stage cp.async
// pipeline, ldmatrix from a 128-byte-row XOR-swizzled shared memory layout.
#include <cuda_fp16.h>

#include <cstdlib>
#include <string>
#include <type_traits>

#include "cuda/gemm_generic.hpp"
#include "cuda/gpu.hpp"
#include "cuda/kernels/accumulate.cuh"
#include "cuda/kernels/formats.cuh"
#include "cuda/kernels/gemm_params.cuh"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"

namespace nvfp4::cuda {
namespace {

constexpr int kTileM = 128, kTileN = 128, kTileK = 64, kThreads = 256;
constexpr int kTileBytes = kTileM * kTileK * 2;           // one operand tile, fp16
static_assert(kTileM == kTileN, "loader assumes square CTA tiles");

// ---- operand preparation: codes (+ scales) -> padded fp16 tiles
struct PrepareParams {
  const uint8_t* codes;
  const uint8_t* scales;
  int64_t rows, cols, row_stride, blocks_per_row;
  int64_t rows_pad, cols_pad;
  int block;
  bool block_2d;
  bool fold;  // multiply by the UE4M3 block scale (NVFP4)
  uint16_t* out;
};

// One CTA per row (grid-stride over rows), one thread per 8 elements: 4 code bytes in, 16 bytes of fp16 out, no
// index division. Rows of a multiple of 8 elements read their codes as aligned 32-bit words.
// E2M1 code -> fp16 bits by a byte table (the low byte of every E2M1 value in fp16 is 0); 0x8 gives +0 as
// e2m1_decode does, so the tiles never hold -0.
__device__ __forceinline__ uint32_t e2m1_fp16_bits(uint32_t code) {
  constexpr uint64_t kHighBytes = 0x464442403E3C3800ull;  // 0, 0.5, 1, 1.5, 2, 3, 4, 6
  const uint32_t mag = code & 7u;
  return mag ? ((static_cast<uint32_t>(kHighBytes >> (8 * mag)) & 0xFFu) << 8) | ((code & 8u) << 12) : 0u;
}
// Two elements as fp16x2 times the block scale (fp16x2; the product has <= 6 significant bits and lies in
// [2^-10, 2688], so the half multiply is exact and equals fp16(fp32 product)).
__device__ __forceinline__ uint32_t prepare_pair(const PrepareParams& p, uint8_t byte, bool hi_valid, __half2 s) {
  const uint32_t h = e2m1_fp16_bits(byte & 0xFu) | (hi_valid ? e2m1_fp16_bits(byte >> 4) << 16 : 0u);
  if (!p.fold) return h;
  const __half2 v = __hmul2(*reinterpret_cast<const __half2*>(&h), s);
  return *reinterpret_cast<const uint32_t*>(&v);
}

__global__ void prepare_kernel(PrepareParams p) {
  const int64_t chunks = p.cols_pad / 8;
  const bool words = p.cols % 8 == 0 && (reinterpret_cast<uintptr_t>(p.codes) & 3) == 0;
  for (int64_t r = blockIdx.x; r < p.rows_pad; r += gridDim.x) {
    uint4* out = reinterpret_cast<uint4*>(p.out + r * p.cols_pad);
    const uint8_t* row = p.codes + r * p.row_stride;
    const uint8_t* srow = p.fold ? p.scales + (p.block_2d ? r / kBlock2dSide : r) * p.blocks_per_row : nullptr;
    for (int64_t c8 = threadIdx.x; c8 < chunks; c8 += blockDim.x) {
      const int64_t c = c8 * 8;
      uint32_t h[4] = {0, 0, 0, 0};
      if (r < p.rows && c < p.cols) {
        // c .. c + 7 lie in one block (blocks hold a multiple of 8 elements: 16 for NVFP4, 32 for MXFP4)
        const __half2 s = __float2half2_rn(p.fold ? ue4m3_decode(srow[c / p.block]) : 1.0f);  // exact in fp16
        if (words) {
          const uint32_t w = *reinterpret_cast<const uint32_t*>(row + c / 2);
#pragma unroll
          for (int j = 0; j < 4; ++j) h[j] = prepare_pair(p, static_cast<uint8_t>(w >> (8 * j)), true, s);
        } else {
#pragma unroll
          for (int j = 0; j < 4; ++j)
            if (c + 2 * j < p.cols) h[j] = prepare_pair(p, row[c / 2 + j], c + 2 * j + 1 < p.cols, s);
        }
      }
      out[c8] = make_uint4(h[0], h[1], h[2], h[3]);
    }
  }
}

// Scale codes per (row, block), 1-D or 2-D, copied to a dense padded [rows_pad][blocks] array (rows past the tensor 0).
__global__ void expand_scales_kernel(const uint8_t* scales, int64_t rows, int64_t rows_pad, int64_t blocks,
                                     bool block_2d, uint8_t* out) {
  const int64_t n = rows_pad * blocks;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const int64_t r = i / blocks, kb = i % blocks;
    out[i] = r < rows ? scales[(block_2d ? r / kBlock2dSide : r) * blocks + kb] : 0;
  }
}

// ---- tensor-core helpers
__device__ __forceinline__ uint32_t smem_addr(const void* p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}
__device__ __forceinline__ void cp_async16(uint32_t dst, const void* src) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(dst), "l"(src));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N>
__device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

__device__ __forceinline__ void ldmatrix_x4(uint32_t addr, uint32_t& r0, uint32_t& r1, uint32_t& r2, uint32_t& r3) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
               : "r"(addr));
}
// D = A * B with a zero accumulator: one 16 x 8 x 16 block product, fp32 out.
__device__ __forceinline__ void mma_16816(const uint32_t (&a)[4], uint32_t b0, uint32_t b1, float (&d)[4]) {
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
      "{%10,%10,%10,%10};\n"
      : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1), "f"(0.0f));
}

// Byte offset of the 16-byte chunk `chunk` (0..7) of tile row `row` (128-byte rows, XOR swizzle against bank conflicts).
__device__ __forceinline__ uint32_t swz(int row, int chunk) { return row * 128 + ((chunk ^ (row & 7)) << 4); }

// The accumulation policy is numerics' one enum (numerics/gemm.hpp), used as the kernels' template parameter.
using Policy = AccumPolicy::Kind;
constexpr int kDefaultGemmVariant = 2;


// kStages: cp.async pipeline depth (32 KiB of shared memory per stage); kMinBlocks: CTAs per SM the register
// allocation must allow (1: up to 255 registers; 2: at most 128, twice the warps to hide MMA latency).
template <Policy kPolicy, bool kMx, int kStages, int kMinBlocks>
__global__ void __launch_bounds__(kThreads, kMinBlocks) gemm_kernel(GemmParams p) {
  extern __shared__ __align__(128) uint8_t smem[];
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int wm = warp >> 2, wn = warp & 3;  // warp tile: rows wm*64 .. +64, cols wn*32 .. +32
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * kTileM, n0 = static_cast<int64_t>(blockIdx.x) * kTileN;
  const int ktiles = static_cast<int>(p.k_pad / kTileK);
  const uint32_t smem_base = smem_addr(smem);

  auto load_tile = [&](int stage, int kt) {
    const uint32_t a_base = smem_base + stage * 2 * kTileBytes, b_base = a_base + kTileBytes;
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const int id = tid + i * kThreads, row = id >> 3, ch = id & 7;
      const int64_t koff = static_cast<int64_t>(kt) * kTileK + ch * 8;
      cp_async16(a_base + swz(row, ch), p.a16 + (m0 + row) * p.k_pad + koff);
      cp_async16(b_base + swz(row, ch), p.b16 + (n0 + row) * p.k_pad + koff);
    }
  };

  // fp32 accumulators, or for fixed:W:F the W-bit register values (int64) and a NaN flag per output
  using Acc = std::conditional_t<kPolicy == Policy::Fixed, int64_t, float>;
  Acc acc[4][4][4];
  uint64_t nan_mask = 0;  // fixed:W:F: bit (mi * 16 + ni * 4 + r) set once a NaN term reached that output
  const FixedRegister fixed{p.fixed_frac, p.fixed_min, p.fixed_max};
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j)
#pragma unroll
      for (int r = 0; r < 4; ++r) acc[i][j][r] = 0;

#pragma unroll
  for (int s = 0; s < kStages - 1; ++s) {
    if (s < ktiles) load_tile(s, s);
    cp_async_commit();
  }

  const int g = lane >> 2, t4 = lane & 3;
  for (int kt = 0; kt < ktiles; ++kt) {
    cp_async_wait<kStages - 2>();
    __syncthreads();
    if (kt + kStages - 1 < ktiles) load_tile((kt + kStages - 1) % kStages, kt + kStages - 1);
    cp_async_commit();

    const int stage = kt % kStages;
    const uint32_t a_base = smem_base + stage * 2 * kTileBytes, b_base = a_base + kTileBytes;
    constexpr int kGroups = kTileK / 16;  // 16-element groups per k-tile (= MMAs along k)
    const int64_t g0 = static_cast<int64_t>(kt) * kGroups;  // first group index of this tile
    // number of real 16-element groups in this tile (the padded tail of K contributes no terms)
    const int live = static_cast<int>(p.groups - g0 < kGroups ? p.groups - g0 : kGroups);

    if constexpr (kPolicy == Policy::Fp32Seq && !kMx) {
      // fp32-seq, NVFP4: one group per k16 step. All 16 MMAs of a step are issued before their results are added,
      // so the adds wait on MMAs issued long before (latency hiding at one CTA per SM).
#pragma unroll
      for (int kk = 0; kk < kGroups; ++kk) {
        uint32_t bfk[4][2];
#pragma unroll
        for (int nj = 0; nj < 2; ++nj)
          ldmatrix_x4(b_base + swz(wn * 32 + nj * 16 + (lane & 7) + ((lane >> 4) << 3), kk * 2 + ((lane >> 3) & 1)),
                      bfk[nj * 2][0], bfk[nj * 2][1], bfk[nj * 2 + 1][0], bfk[nj * 2 + 1][1]);
        // kMiBatch row tiles at a time: 4 keeps 16 MMAs in flight (1 CTA/SM); 2 fits 128 registers (2 CTAs/SM)
        constexpr int kMiBatch = kMinBlocks == 1 ? 4 : 2;
#pragma unroll
        for (int mb = 0; mb < 4; mb += kMiBatch) {
          uint32_t af[kMiBatch][4];
#pragma unroll
          for (int i = 0; i < kMiBatch; ++i)
            ldmatrix_x4(a_base + swz(wm * 64 + (mb + i) * 16 + (lane & 15), kk * 2 + (lane >> 4)), af[i][0], af[i][1],
                        af[i][2], af[i][3]);
          float term[kMiBatch][4][4];
#pragma unroll
          for (int i = 0; i < kMiBatch; ++i)
#pragma unroll
            for (int ni = 0; ni < 4; ++ni) mma_16816(af[i], bfk[ni][0], bfk[ni][1], term[i][ni]);
          if (kk < live) {
#pragma unroll
            for (int i = 0; i < kMiBatch; ++i)
#pragma unroll
              for (int ni = 0; ni < 4; ++ni)
#pragma unroll
                for (int r = 0; r < 4; ++r) acc[mb + i][ni][r] = __fadd_rn(acc[mb + i][ni][r], term[i][ni][r]);
          }
        }
      }
      continue;
    }

    // blackwell-mma: MMA-Sim scale exponents of this tile's groups for the thread's 8 rows and 8 columns, packed as
    // 4 x int8 (one byte per group), loaded once per k-tile instead of once per output
    uint32_t eap[4][2] = {}, ebp[4][2] = {};
    if constexpr (kPolicy == Policy::BlackwellMma) {
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
          const int64_t row = m0 + wm * 64 + i * 16 + g + h * 8;
          const int64_t col = n0 + wn * 32 + i * 8 + t4 * 2 + h;
#pragma unroll
          for (int kk = 0; kk < kGroups; ++kk) {
            if (kk < live) {  // groups past K have no scales to read
              const int64_t kb = kMx ? (g0 + kk) / 2 : g0 + kk;
              const uint8_t ca = __ldg(p.sa + row * p.blocks + kb), cb = __ldg(p.sb + col * p.blocks + kb);
              const int xa = kMx ? ue8m0_mmasim_exponent(ca) : ue4m3_mmasim_exponent(ca);
              const int xb = kMx ? ue8m0_mmasim_exponent(cb) : ue4m3_mmasim_exponent(cb);
              eap[i][h] |= static_cast<uint32_t>(static_cast<uint8_t>(static_cast<int8_t>(xa))) << (8 * kk);
              ebp[i][h] |= static_cast<uint32_t>(static_cast<uint8_t>(static_cast<int8_t>(xb))) << (8 * kk);
            }
          }
        }
    }

    // B fragments of the whole k-tile: [k16 step][n8 tile][2]
    uint32_t bf[kGroups][4][2];
#pragma unroll
    for (int kk = 0; kk < kGroups; ++kk)
#pragma unroll
      for (int nj = 0; nj < 2; ++nj) {
        const int row = wn * 32 + nj * 16 + (lane & 7) + ((lane >> 4) << 3);
        const int ch = kk * 2 + ((lane >> 3) & 1);
        ldmatrix_x4(b_base + swz(row, ch), bf[kk][nj * 2][0], bf[kk][nj * 2][1], bf[kk][nj * 2 + 1][0],
                    bf[kk][nj * 2 + 1][1]);
      }
#pragma unroll
    for (int mi = 0; mi < 4; ++mi) {
      uint32_t af[kGroups][4];
#pragma unroll
      for (int kk = 0; kk < kGroups; ++kk) {
        const int row = wm * 64 + mi * 16 + (lane & 15);
        const int ch = kk * 2 + (lane >> 4);
        ldmatrix_x4(a_base + swz(row, ch), af[kk][0], af[kk][1], af[kk][2], af[kk][3]);
      }
#pragma unroll
      for (int ni = 0; ni < 4; ++ni) {
        float term[kGroups][4];
#pragma unroll
        for (int kk = 0; kk < kGroups; ++kk) mma_16816(af[kk], bf[kk][ni][0], bf[kk][ni][1], term[kk]);
        const int64_t row_lo = m0 + wm * 64 + mi * 16 + g;
        const int64_t col_lo = n0 + wn * 32 + ni * 8 + t4 * 2;
#pragma unroll
        for (int r = 0; r < 4; ++r) {
          const int64_t row = row_lo + (r >= 2 ? 8 : 0), col = col_lo + (r & 1);
          if constexpr (kPolicy == Policy::Fp32Seq) {
            // MXFP4: a 32-element block is two groups; its term is RNE(S * 2^(ea + eb - 254)), S the exact block sum
#pragma unroll
            for (int kk = 0; kk < kGroups; kk += 2) {
              if (kk < live) {
                const int64_t kb = (g0 + kk) / 2;
                const int e = static_cast<int>(p.sa[row * p.blocks + kb]) + static_cast<int>(p.sb[col * p.blocks + kb]) - 254;
                const float s = __fadd_rn(term[kk][r], term[kk + 1][r]);  // exact: both are small quarter-integers
                const double v = static_cast<double>(s) * __longlong_as_double(static_cast<long long>(e + 1023) << 52);
                acc[mi][ni][r] = __fadd_rn(acc[mi][ni][r], __double2float_rn(v));
              }
            }
          } else if constexpr (kPolicy == Policy::Fixed) {
            // the policy's exact fp32 term per block (NVFP4: the MMA's exact block sum; MXFP4: RNE(S * 2^(ea+eb-254)))
#pragma unroll
            for (int kk = 0; kk < kGroups; kk += kMx ? 2 : 1) {
              if (kk < live) {
                float t = term[kk][r];
                if constexpr (kMx) {
                  const int64_t kb = (g0 + kk) / 2;
                  const int e = static_cast<int>(p.sa[row * p.blocks + kb]) + static_cast<int>(p.sb[col * p.blocks + kb]) - 254;
                  const float sum = __fadd_rn(term[kk][r], term[kk + 1][r]);
                  t = __double2float_rn(static_cast<double>(sum) * __longlong_as_double(static_cast<long long>(e + 1023) << 52));
                }
                if (t != t) nan_mask |= uint64_t{1} << (mi * 16 + ni * 4 + r);
                else acc[mi][ni][r] = fixed_add(acc[mi][ni][r], t, fixed);
              }
            }
          } else {
            float v[kGroups];
            int extra[kGroups], ex[kGroups];
#pragma unroll
            for (int kk = 0; kk < kGroups; ++kk) {
              v[kk] = term[kk][r];
              ex[kk] = static_cast<int8_t>(eap[mi][r >> 1] >> (8 * kk)) + static_cast<int8_t>(ebp[ni][r & 1] >> (8 * kk));
              extra[kk] = kMx ? ex[kk] : 0;
            }
            acc[mi][ni][r] = blackwell_chunk_fast(acc[mi][ni][r], live, v, extra, ex);
          }
        }
      }
    }
  }
  cp_async_wait<0>();

  // epilogue: D = fp32(acc * fp32(s_tA * s_tB)), canonical NaN of the policy
#pragma unroll
  for (int mi = 0; mi < 4; ++mi)
#pragma unroll
    for (int ni = 0; ni < 4; ++ni)
#pragma unroll
      for (int r = 0; r < 4; ++r) {
        const int64_t row = m0 + wm * 64 + mi * 16 + g + (r >= 2 ? 8 : 0);
        const int64_t col = n0 + wn * 32 + ni * 8 + t4 * 2 + (r & 1);
        if (row < p.m && col < p.n) {
          if constexpr (kPolicy == Policy::Fixed)
            p.d[row * p.n + col] = fixed_finish(acc[mi][ni][r], (nan_mask >> (mi * 16 + ni * 4 + r)) & 1, p.fixed_frac,
                                                p.tensor_scale_product);
          else
            p.d[row * p.n + col] =
                finish_output(acc[mi][ni][r], p.tensor_scale_product, kPolicy == Policy::BlackwellMma);
        }
      }
}

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

template <Policy P, bool Mx, int Stages, int MinBlocks>
void launch_gemm(const GemmParams& gp, int64_t m_pad, int64_t n_pad, cudaStream_t stream) {
  auto kernel = gemm_kernel<P, Mx, Stages, MinBlocks>;
  const int smem = Stages * 2 * kTileBytes;
  NVFP4_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem));
  const dim3 grid(static_cast<unsigned>(n_pad / kTileN), static_cast<unsigned>(m_pad / kTileM));
  kernel<<<grid, kThreads, smem, stream>>>(gp);
  NVFP4_CUDA_CHECK_LAUNCH("gemm");
}

// Variants of the fp32-seq NVFP4 kernel (all give the same bits, tested), chosen by NVFP4_GEMM_VARIANT:
// 0 = mma.sync, 3 stages, 1 CTA/SM; 1 = mma.sync, 2 stages, 2 CTAs/SM (the default on GPUs other than sm_90);
// 2 = warp-specialized Hopper wgmma (cuda/gemm_wgmma.cu, sm_90a), tile shape and persistence chosen per problem (the
// default on sm_90); 3 / 4 = the same with 128 x 128 / 192 x 128 tiles; 5 / 6 = one CTA per tile / persistent.
// docs/cuda.md lists what was tried and dropped.
thread_local std::string last_kernel;  // what run_gemm launched last on this thread (gpu::last_gemm_kernel)

int gemm_variant() {
  const char* v = std::getenv("NVFP4_GEMM_VARIANT");
  return v ? std::atoi(v) : kDefaultGemmVariant;
}

}  // namespace
}  // namespace nvfp4::cuda

namespace nvfp4::gpu {

void require_gpu_gemm_support(const QuantSpec& a, const QuantSpec& b, const AccumPolicy& policy) {
  // every pair and policy the golden GEMM accepts runs: the tensor-core kernels below, or cuda/gemm_generic.cu
  cuda::require_golden_gemm_pair(a, b, policy);
}

PreparedGemm prepare_gemm(const DeviceQuantized& a, const DeviceQuantized& b, cudaStream_t stream) {
  PreparedGemm g;
  prepare_gemm_into(a, b, g, stream);
  return g;
}

void prepare_gemm_into(const DeviceQuantized& a, const DeviceQuantized& b, PreparedGemm& g, cudaStream_t stream) {
  require_gpu_gemm_support(a.spec, b.spec, AccumPolicy{});
  if (a.cols != b.cols)
    throw Error("gpu gemm: reduction dimensions differ: A is " + std::to_string(a.rows) + " x " +
                std::to_string(a.cols) + ", B is " + std::to_string(b.rows) + " x " + std::to_string(b.cols));
  if (a.rows <= 0 || b.rows <= 0 || a.cols <= 0) throw Error("gpu gemm: empty operand");
  g.m = a.rows;
  g.n = b.rows;
  g.k = a.cols;
  g.tensor_scale_product = a.tensor_scale * b.tensor_scale;
  g.generic = !cuda::tensor_core_pair(a.spec, b.spec);
  if (g.generic) return cuda::prepare_generic_gemm(a, b, g, stream);
  g.block = a.spec.block;
  g.mx = a.spec.scheme == Scheme::MXFP4;
  g.m_pad = cuda::round_up(g.m, cuda::kTileM);
  g.n_pad = cuda::round_up(g.n, cuda::kTileN);
  g.k_pad = cuda::round_up(g.k, cuda::kTileK);
  const int64_t blocks = (g.k + g.block - 1) / g.block;
  const size_t na = static_cast<size_t>(g.m_pad * g.k_pad), nb = static_cast<size_t>(g.n_pad * g.k_pad);
  if (g.a16.size() != na || g.b16.size() != nb) {  // reuse the tiles of a previous call of the same shape
    g.a16 = {};
    g.b16 = {};
    size_t free_b = 0, total_b = 0;
    NVFP4_CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
    if ((na + nb) * 2 > free_b)
      throw Error("out of GPU memory: gemm " + std::to_string(g.m) + " x " + std::to_string(g.n) + " x " +
                  std::to_string(g.k) + " needs " + std::to_string((na + nb) * 2) + " bytes of fp16 tiles, " +
                  std::to_string(free_b) + " free");
    g.a16.allocate(na, "gemm A tiles");
    g.b16.allocate(nb, "gemm B tiles");
  }
  auto prep = [&](const DeviceQuantized& q, int64_t rows_pad, DeviceBuffer<uint16_t>& out, DeviceBuffer<uint8_t>& sc) {
    cuda::PrepareParams p{};
    p.codes = q.codes.get();
    p.scales = q.scales.get();
    p.rows = q.rows;
    p.cols = q.cols;
    p.row_stride = (q.cols + 1) / 2;
    p.blocks_per_row = blocks;
    p.rows_pad = rows_pad;
    p.cols_pad = g.k_pad;
    p.block = g.block;
    p.block_2d = q.spec.block_2d;
    p.fold = !g.mx;
    p.out = out.get();
    cuda::prepare_kernel<<<static_cast<int>(std::min<int64_t>(rows_pad, 132 * 64)), 256, 0, stream>>>(p);
    NVFP4_CUDA_CHECK_LAUNCH("prepare");
    if (sc.size() != static_cast<size_t>(rows_pad * blocks)) sc.allocate(static_cast<size_t>(rows_pad * blocks), "gemm scale codes");
    cuda::expand_scales_kernel<<<static_cast<int>(std::min<int64_t>((rows_pad * blocks + 255) / 256, 132 * 32)), 256,
                                 0, stream>>>(q.scales.get(), q.rows, rows_pad, blocks, q.spec.block_2d, sc.get());
    NVFP4_CUDA_CHECK_LAUNCH("expand scales");
  };
  prep(a, g.m_pad, g.a16, g.sa);
  prep(b, g.n_pad, g.b16, g.sb);
  g.tensor_scale_product = a.tensor_scale * b.tensor_scale;
}

std::string last_gemm_kernel() { return cuda::last_kernel; }

void run_gemm(const PreparedGemm& g, const AccumPolicy& policy, float* d_out, cudaStream_t stream) {
  if (g.generic) {  // refuses the policies the pair cannot use
    cuda::last_kernel = cuda::run_generic_gemm(g, policy, d_out, stream);
    return;
  }
  cuda::GemmParams gp{};
  gp.a16 = g.a16.get();
  gp.b16 = g.b16.get();
  gp.sa = g.sa.get();
  gp.sb = g.sb.get();
  gp.m = g.m;
  gp.n = g.n;
  gp.k_pad = g.k_pad;
  gp.blocks = (g.k + g.block - 1) / g.block;
  gp.groups = (g.k + 15) / 16;
  gp.tensor_scale_product = g.tensor_scale_product;
  gp.d = d_out;
  gp.fixed_frac = policy.frac;
  gp.fixed_max = static_cast<int64_t>((uint64_t{1} << (policy.width - 1)) - 1);
  gp.fixed_min = -gp.fixed_max - 1;
  using cuda::Policy;
  cuda::last_kernel = std::string("mma.sync m16n8k16, ") + policy.name() + (g.mx ? ", mxfp4" : ", nvfp4");
  if (policy.kind == AccumPolicy::Kind::Fixed) {  // portable kernel only: int64 registers per output
    if (g.mx) cuda::launch_gemm<Policy::Fixed, true, 3, 1>(gp, g.m_pad, g.n_pad, stream);
    else cuda::launch_gemm<Policy::Fixed, false, 3, 1>(gp, g.m_pad, g.n_pad, stream);
    return;
  }
  const bool bw = policy.kind == AccumPolicy::Kind::BlackwellMma;
  if (!bw && !g.mx) {
    switch (cuda::gemm_variant()) {
      case 0: cuda::launch_gemm<Policy::Fp32Seq, false, 3, 1>(gp, g.m_pad, g.n_pad, stream); break;
      case 2:  // warp-specialized wgmma (sm_90a); other devices fall back to the mma.sync kernel
      case 3:
      case 4:
      case 5:
      case 6: {
        const int v = cuda::gemm_variant();
        const int tile_m = v == 3 ? 128 : v == 4 ? 192 : 0;
        cuda::last_kernel = cuda::launch_gemm_wgmma(gp, g.m_pad, g.n_pad, stream, tile_m, v == 5 ? 0 : v == 6 ? 1 : -1);
        if (!cuda::last_kernel.empty()) return;
        cuda::launch_gemm<Policy::Fp32Seq, false, 2, 2>(gp, g.m_pad, g.n_pad, stream);
        break;
      }
      default: cuda::launch_gemm<Policy::Fp32Seq, false, 2, 2>(gp, g.m_pad, g.n_pad, stream); break;
    }
  } else if (!bw && g.mx) {
    cuda::launch_gemm<Policy::Fp32Seq, true, 3, 1>(gp, g.m_pad, g.n_pad, stream);
  } else if (bw && !g.mx) {
    cuda::launch_gemm<Policy::BlackwellMma, false, 3, 1>(gp, g.m_pad, g.n_pad, stream);
  } else {
    cuda::launch_gemm<Policy::BlackwellMma, true, 3, 1>(gp, g.m_pad, g.n_pad, stream);
  }
}

}  // namespace nvfp4::gpu
