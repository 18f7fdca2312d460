// fp32-seq NVFP4 GEMM on Hopper (sm_90a): warp-specialized wgmma kernel. Same exactness argument as cuda/gemm.cu:
// one m64n128k16 wgmma with the accumulator disabled covers exactly one 16-element block of 64 x 128 outputs, its sum
// is exact, and the fp32-seq adds run on the CUDA cores in block order.
//
// Design (H100 measurements in docs/cuda.md): ncu on the previous kernel (cp.async by every thread, a CTA barrier per
// k-tile, row-major tile order) showed DRAM 60% busy at a 52% L2 hit rate and issue slots 59% busy. Here
//  - a producer warpgroup (one thread) loads the tiles with TMA into a ring of shared-memory stages guarded by
//    mbarriers (full: bytes landed; empty: every consumer warp's wgmmas have read the stage), so the consumer
//    warpgroups issue only wgmma and the adds, with no CTA-wide barrier in the main loop;
//  - tiles are visited column-major in groups of kGroupM tile rows, so the CTAs resident at one time share their A and
//    B k-slices in L2 (L2 hit rate 52% -> 83%);
//  - two shapes: 192 x 128 (3 consumer warpgroups, one result buffer each; 17% fewer operand bytes per output) and
//    128 x 128 (2 consumer warpgroups, two result buffers so a warpgroup's next wgmma runs during its adds; fewer
//    idle SMs in the last wave of small grids). choose_shape() picks per problem.
// Tried and dropped (no gain, docs/cuda.md): splitting each step into two n64 wgmmas pipelined against the adds;
// clusters of 2 and 2 x 2 CTAs sharing A/B tiles through TMA multicast.
#include <cuda.h>
#include <cudaTypedefs.h>

#include <algorithm>
#include <string>

#include "cuda/host/cuda_check.hpp"
#include "cuda/kernels/accumulate.cuh"
#include "cuda/kernels/gemm_params.cuh"
#include "cuda/kernels/sm90.cuh"
#include "numerics/error.hpp"

namespace nvfp4::cuda {
namespace {

using namespace sm90;

constexpr int kTileN = 128, kTileK = 64, kGroupM = 8;
constexpr uint32_t kRowBytes = kTileK * 2;  // one 128-byte swizzle row per tile row and k-tile

struct WgmmaParams {
  int m_tiles, n_tiles, ktiles;
  int64_t m, n, groups;
  float tensor_scale_product;
  float* d;
};

template <int kWG>
struct Shape {
  static constexpr int kTileM = 64 * kWG;
  static constexpr uint32_t kABytes = kTileM * kRowBytes, kBBytes = kTileN * kRowBytes;
  static constexpr uint32_t kStageBytes = kABytes + kBBytes;
  static constexpr int kStages = kWG == 3 ? 5 : 6;                   // 200 / 192 KiB of operand stages
  static constexpr int kThreads = kWG * 128 + 128;                    // consumers + the producer warpgroup
  // registers per thread after setmaxnreg (the whole file holds 64 K): the producer needs few, a consumer holds 64
  // accumulators and one or two 64-register wgmma results
  static constexpr int kProducerRegs = kWG == 3 ? 32 : 40, kConsumerRegs = kWG == 3 ? 160 : 232;
  static_assert(128 * kProducerRegs + kWG * 128 * kConsumerRegs <= 65536, "register file");
  static constexpr int kSmem = kStages * kStageBytes + 2 * kStages * 8 + 1024;  // + barriers + alignment slack
};

// Tile (m, n) of CTA `id`: column-major within groups of kGroupM tile rows.
__device__ __forceinline__ void tile_of(int id, int m_tiles, int n_tiles, int& mt, int& nt) {
  const int per_group = kGroupM * n_tiles;
  const int first_m = (id / per_group) * kGroupM;
  const int rows = min(m_tiles - first_m, kGroupM);
  const int in_group = id % per_group;
  mt = first_m + in_group % rows;
  nt = in_group / rows;
}

// Consumer warpgroup `wg` (of kWG), one tile: waits for each stage, runs its four k16 steps (wgmma + the fp32-seq
// adds), frees the stage after its last wgmma, and finally writes its 64 x 128 outputs. `it` counts the k-tiles this
// CTA has consumed over all its tiles (stage = it % kStages, phase = it / kStages).
template <int kWG, bool kTwoBuffers>
__device__ __forceinline__ void consume_tile(const WgmmaParams& p, uint32_t base, uint32_t full_bar, uint32_t empty_bar,
                                             int mt, int nt, uint32_t& it) {
  using S = Shape<kWG>;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, wg = warp >> 2;
  float acc[64];
#pragma unroll
  for (int i = 0; i < 64; ++i) acc[i] = 0.0f;

  for (int kt = 0; kt < p.ktiles; ++kt, ++it) {
    const int s = it % S::kStages;
    mbar_wait(full_bar + 8 * s, (it / S::kStages) & 1);
    const uint32_t a = base + s * S::kStageBytes;
    const uint64_t da = desc_sw128(a + wg * 64 * kRowBytes), db = desc_sw128(a + S::kABytes);
    // groups past K hold zeros; they must add no term (fp32-seq adds one term per real block)
    const int64_t g0 = static_cast<int64_t>(kt) * (kTileK / 16);
    const int live = static_cast<int>(p.groups - g0 < kTileK / 16 ? p.groups - g0 : kTileK / 16);
    if constexpr (kTwoBuffers) {  // step kk + 1's wgmma runs while step kk's adds issue
      float t[2][64];
      wgmma_fence();
      wgmma_m64n128k16_f16_zero(t[0], da, db);
      wgmma_commit();
#pragma unroll
      for (int kk = 0; kk < kTileK / 16; ++kk) {
        if (kk + 1 < kTileK / 16) {
          wgmma_fence();
          wgmma_m64n128k16_f16_zero(t[(kk + 1) & 1], da + 2 * (kk + 1), db + 2 * (kk + 1));
          wgmma_commit();
          wgmma_wait<1>();
        } else {
          wgmma_wait<0>();
          if (lane == 0) mbar_arrive(empty_bar + 8 * s);  // this warp's reads of the stage are done
        }
        if (kk < live) {
#pragma unroll
          for (int i = 0; i < 64; ++i) acc[i] = __fadd_rn(acc[i], t[kk & 1][i]);
        }
      }
    } else {  // one result buffer: the other warpgroups' wgmmas overlap this one's adds
#pragma unroll
      for (int kk = 0; kk < kTileK / 16; ++kk) {
        float t[64];
        wgmma_fence();
        wgmma_m64n128k16_f16_zero(t, da + 2 * kk, db + 2 * kk);
        wgmma_commit();
        wgmma_wait<0>();
        if (kk == kTileK / 16 - 1 && lane == 0) mbar_arrive(empty_bar + 8 * s);
        if (kk < live) {
#pragma unroll
          for (int i = 0; i < 64; ++i) acc[i] = __fadd_rn(acc[i], t[i]);
        }
      }
    }
  }

  // fragment layout: rows g and g + 8 of the warp's 16, column pairs (2 * t4, +1) of each n8 chunk j
  const int g = lane >> 2, t4 = lane & 3;
  const int64_t row0 = static_cast<int64_t>(mt) * S::kTileM + wg * 64 + (warp & 3) * 16 + g;
  const int64_t col0 = static_cast<int64_t>(nt) * kTileN + t4 * 2;
  const bool pairs = (p.n & 1) == 0;  // even rows: column pairs are 8-byte aligned
#pragma unroll
  for (int j = 0; j < 16; ++j)
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int64_t row = row0 + 8 * h, col = col0 + j * 8;
      if (row >= p.m || col >= p.n) continue;
      const float v0 = finish_output(acc[4 * j + 2 * h], p.tensor_scale_product, false);
      const float v1 = finish_output(acc[4 * j + 2 * h + 1], p.tensor_scale_product, false);
      float* out = p.d + row * p.n + col;
      if (pairs && col + 1 < p.n) {
        *reinterpret_cast<float2*>(out) = make_float2(v0, v1);
      } else {
        out[0] = v0;
        if (col + 1 < p.n) out[1] = v1;
      }
    }
}

template <int kWG, bool kTwoBuffers>
__global__ void __launch_bounds__(Shape<kWG>::kThreads, 1)
    gemm_wgmma_kernel(const __grid_constant__ CUtensorMap map_a, const __grid_constant__ CUtensorMap map_b,
                      WgmmaParams p) {
  using S = Shape<kWG>;
  extern __shared__ __align__(1024) uint8_t smem_raw[];
  const uint32_t raw = smem_addr(smem_raw);
  const uint32_t base = raw + ((1024 - (raw & 1023)) & 1023);  // swizzle atoms need 1024-byte alignment
  const uint32_t full_bar = base + S::kStages * S::kStageBytes, empty_bar = full_bar + S::kStages * 8;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int tiles = p.m_tiles * p.n_tiles;

  if (threadIdx.x == 0) {
    for (int s = 0; s < S::kStages; ++s) {
      mbar_init(full_bar + 8 * s, 1);         // the producer's arrive.expect_tx; the TMA bytes complete the phase
      mbar_init(empty_bar + 8 * s, kWG * 4);  // one arrival per consumer warp
    }
    mbar_fence_init();
  }
  __syncthreads();

  if (warp >= kWG * 4) {  // producer warpgroup: one thread issues every load
    setmaxnreg_dec<S::kProducerRegs>();
    if (warp == kWG * 4 && lane == 0) {
      uint32_t it = 0;  // k-tiles loaded over all of this CTA's tiles
      for (int tile = blockIdx.x; tile < tiles; tile += gridDim.x) {
        int mt, nt;
        tile_of(tile, p.m_tiles, p.n_tiles, mt, nt);
        for (int kt = 0; kt < p.ktiles; ++kt, ++it) {
          const int s = it % S::kStages;
          mbar_wait(empty_bar + 8 * s, ((it / S::kStages) & 1) ^ 1);
          mbar_arrive_expect_tx(full_bar + 8 * s, S::kStageBytes);
          const uint32_t a = base + s * S::kStageBytes;
          tma_load_2d(a, &map_a, full_bar + 8 * s, kt * kTileK, mt * S::kTileM);
          tma_load_2d(a + S::kABytes, &map_b, full_bar + 8 * s, kt * kTileK, nt * kTileN);
        }
      }
    }
  } else {
    setmaxnreg_inc<S::kConsumerRegs>();
    uint32_t it = 0;
    for (int tile = blockIdx.x; tile < tiles; tile += gridDim.x) {
      int mt, nt;
      tile_of(tile, p.m_tiles, p.n_tiles, mt, nt);
      consume_tile<kWG, kTwoBuffers>(p, base, full_bar, empty_bar, mt, nt, it);
    }
  }
}

PFN_cuTensorMapEncodeTiled_v12000 tensor_map_encoder() {
  static PFN_cuTensorMapEncodeTiled_v12000 fn = [] {
    void* f = nullptr;
    cudaDriverEntryPointQueryResult q{};
    NVFP4_CUDA_CHECK(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &f, 12000, cudaEnableDefault, &q));
    if (q != cudaDriverEntryPointSuccess || f == nullptr)
      throw Error("gpu gemm: the CUDA driver has no cuTensorMapEncodeTiled (needed by the Hopper TMA kernel)");
    return reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(f);
  }();
  return fn;
}

// Row-major fp16 operand of rows x k_pad, read in boxes of box_rows x 64 with the 128-byte swizzle.
CUtensorMap operand_map(const uint16_t* data, int64_t rows, int64_t k_pad, int box_rows) {
  CUtensorMap map;
  const cuuint64_t dims[2] = {static_cast<cuuint64_t>(k_pad), static_cast<cuuint64_t>(rows)};
  const cuuint64_t strides[1] = {static_cast<cuuint64_t>(k_pad) * 2};
  const cuuint32_t box[2] = {kTileK, static_cast<cuuint32_t>(box_rows)};
  const cuuint32_t elem_strides[2] = {1, 1};
  const CUresult r = tensor_map_encoder()(&map, CU_TENSOR_MAP_DATA_TYPE_FLOAT16, 2, const_cast<uint16_t*>(data), dims,
                                          strides, box, elem_strides, CU_TENSOR_MAP_INTERLEAVE_NONE,
                                          CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B,
                                          CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r != CUDA_SUCCESS)
    throw Error("gpu gemm: cuTensorMapEncodeTiled failed (error " + std::to_string(static_cast<int>(r)) + ") for " +
                std::to_string(rows) + " x " + std::to_string(k_pad) + " fp16 operand");
  return map;
}

template <int kWG, bool kTwoBuffers>
void launch(const GemmParams& gp, int64_t m_pad, int64_t n_pad, int ctas_max, cudaStream_t stream) {
  using S = Shape<kWG>;
  WgmmaParams p{};
  p.m_tiles = static_cast<int>((m_pad + S::kTileM - 1) / S::kTileM);  // the last may reach past m_pad: TMA reads zeros
  p.n_tiles = static_cast<int>(n_pad / kTileN);
  p.ktiles = static_cast<int>(gp.k_pad / kTileK);
  p.m = gp.m;
  p.n = gp.n;
  p.groups = gp.groups;
  p.tensor_scale_product = gp.tensor_scale_product;
  p.d = gp.d;
  const CUtensorMap map_a = operand_map(gp.a16, m_pad, gp.k_pad, S::kTileM);
  const CUtensorMap map_b = operand_map(gp.b16, n_pad, gp.k_pad, kTileN);
  auto kernel = gemm_wgmma_kernel<kWG, kTwoBuffers>;
  NVFP4_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, S::kSmem));
  // persistent: at most one CTA per SM, each walking tiles blockIdx.x, + gridDim.x, ... so its producer loads the next
  // tile's first stages while its consumers store the last tile's outputs
  const int64_t ctas = std::min<int64_t>(static_cast<int64_t>(p.m_tiles) * p.n_tiles, ctas_max);
  kernel<<<static_cast<unsigned>(ctas), S::kThreads, S::kSmem, stream>>>(map_a, map_b, p);
  NVFP4_CUDA_CHECK_LAUNCH("gemm wgmma");
}

// Waves of one CTA per SM times the outputs of a tile: the time model used to pick the shape; the 192-row tile wins
// ties within 5% because it moves fewer bytes per output.
int choose_shape(int64_t m_pad, int64_t n_pad, int sms) {
  auto cost = [&](int tile_m) {
    const int64_t tiles = (m_pad + tile_m - 1) / tile_m * (n_pad / kTileN);
    return static_cast<double>((tiles + sms - 1) / sms) * tile_m;
  };
  return cost(192) <= 1.05 * cost(128) ? 192 : 128;
}

}  // namespace

std::string launch_gemm_wgmma(const GemmParams& p, int64_t m_pad, int64_t n_pad, cudaStream_t stream, int tile_m,
                              int persistent) {
  int dev = 0, major = 0, minor = 0, sms = 0;
  NVFP4_CUDA_CHECK(cudaGetDevice(&dev));
  NVFP4_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev));
  NVFP4_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev));
  NVFP4_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  if (major != 9 || minor != 0) return "";
  if (tile_m == 0) tile_m = choose_shape(m_pad, n_pad, sms);
  // Persistent CTAs pay off when a tile is short (its pipeline fill and output stores weigh more): H100, K = 2048
  // layer shapes 3-5% faster. On long tiles one CTA per tile is better (8192^3: 2.69 vs 2.80 ms), the hardware then
  // hands the next tile to whichever SM finishes first.
  if (persistent < 0) persistent = p.k_pad <= 4096;
  const int ctas_max = persistent ? sms : (1 << 30);
  if (tile_m == 192) launch<3, false>(p, m_pad, n_pad, ctas_max, stream);
  else launch<2, true>(p, m_pad, n_pad, ctas_max, stream);
  return std::string("wgmma warp-specialized ") + (tile_m == 192 ? "192x128" : "128x128") +
         (persistent ? ", persistent" : ", one CTA per tile") + " (sm_90a)";
}

}  // namespace nvfp4::cuda
