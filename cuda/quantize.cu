// GPU quantization (NVFP4_SPEC.md sections 3-4): amax reduction, then the block kernels of
// kernels/quantize_fast.cuh (the fast paths) and below. Bits equal nvfp4::quantize for every supported spec.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cuda/gpu.hpp"
#include "cuda/kernels/quantize_fast.cuh"
#include "numerics/error.hpp"

namespace nvfp4::cuda {
namespace {

constexpr unsigned long long kNoIndex = ~0ull;

__device__ __forceinline__ bool is_finite_bits(uint32_t u) { return (u & 0x7F800000u) != 0x7F800000u; }

// Grid-stride max |x| over finite elements (order-free: max is exact) and the first non-finite position: for
// unaligned inputs and, on the error path, to name the position (amax_fast_kernel is the usual pass).
__global__ void amax_kernel(const float* __restrict__ x, int64_t n, AmaxResult* out) {
  uint32_t local = 0;
  unsigned long long first_bad = kNoIndex;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const uint32_t a = __float_as_uint(__ldg(x + i)) & 0x7FFFFFFFu;
    if (!is_finite_bits(a)) {
      if (static_cast<unsigned long long>(i) < first_bad) first_bad = static_cast<unsigned long long>(i);
    } else {
      local = local > a ? local : a;  // non-negative floats order as their bits
    }
  }
  for (int off = 16; off > 0; off >>= 1) {
    const uint32_t o = __shfl_xor_sync(0xFFFFFFFFu, local, off);
    local = local > o ? local : o;
    const unsigned long long ob = __shfl_xor_sync(0xFFFFFFFFu, first_bad, off);
    first_bad = first_bad < ob ? first_bad : ob;
  }
  if ((threadIdx.x & 31) == 0) {
    atomicMax(&out->amax_bits, local);
    if (first_bad != kNoIndex) atomicMin(&out->first_nonfinite, first_bad);
  }
}

// Block scale code at block index i: one byte, or int4's fp16 bits as two bytes little-endian.
__device__ __forceinline__ void store_scale(const QuantParams& p, int64_t i, uint16_t code) {
  if (p.scale_bytes == 2) {
    p.scales[2 * i] = static_cast<uint8_t>(code);
    p.scales[2 * i + 1] = static_cast<uint8_t>(code >> 8);
  } else {
    p.scales[i] = static_cast<uint8_t>(code);
  }
}

__device__ __forceinline__ uint8_t quantize_one(const QuantParams& p, const BlockScaling& s, float x, int64_t index) {
  return quantize_element(s, x, p.stochastic, p.seed, static_cast<uint64_t>(index));
}

// The element path of the fast kernel with the recipe's operation and the rounding fixed at compile time (the
// generic quantize_one() switches on both per element, which made the kernel instruction-bound).
template <bool kDiv, bool kSR>
__device__ __forceinline__ uint8_t quantize_fixed(const QuantParams& p, const BlockScaling& s, float x, int64_t index) {
  const float v = kDiv ? __fdiv_rn(x, s.factor) : __fmul_rn(x, s.factor);
  const uint8_t c = kSR ? e2m1_stochastic(v, philox_word0(p.seed, static_cast<uint64_t>(index))) : e2m1_encode_rn_fast(v);
  return (s.unsigned_zero && v == 0.0f) ? uint8_t{0} : c;
}

// Fast 1-D path: lanes_per_block = B / 4 consecutive lanes own one block; each lane loads one float4 per step, and
// kUnroll independent steps are in flight per iteration (bytes in flight hide the DRAM latency).
constexpr int kUnroll = 4;

// lanes_per_block = B / 4 is a power of two (1..32) and lanes_shift its log2.
template <bool kDiv, bool kSR>
__global__ void __launch_bounds__(256) quantize_vec_kernel(QuantParams p, int lanes_per_block, int lanes_shift) {
  const float amax = param_amax(p);
  const TensorScaling t = tensor_scaling(p.recipe, amax);
  const int64_t n4 = p.rows * p.cols / 4;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  // Every lane of a warp runs the same number of iterations (shuffles need the whole warp).
  const int64_t start = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t iters = (n4 + stride * kUnroll - 1) / (stride * kUnroll);
  for (int64_t it = 0; it < iters; ++it) {
    float4 v[kUnroll];
    int64_t idx[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      idx[u] = start + (it * kUnroll + u) * stride;
      v[u] = idx[u] < n4 ? __ldg(reinterpret_cast<const float4*>(p.x) + idx[u]) : make_float4(0.f, 0.f, 0.f, 0.f);
    }
    uint32_t b[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      b[u] = max(max(__float_as_uint(v[u].x) & 0x7FFFFFFFu, __float_as_uint(v[u].y) & 0x7FFFFFFFu),
                 max(__float_as_uint(v[u].z) & 0x7FFFFFFFu, __float_as_uint(v[u].w) & 0x7FFFFFFFu));
      for (int off = lanes_per_block >> 1; off > 0; off >>= 1) b[u] = max(b[u], __shfl_xor_sync(0xFFFFFFFFu, b[u], off));
    }
    // With B >= 16 a block has >= kUnroll lanes: lane j of the block computes the scale of step j only, and the
    // block's lanes fetch it by shuffle (a quarter of the divisions and E4M3 conversions).
    const bool share = lanes_per_block >= kUnroll;
    const int lane = threadIdx.x & 31;
    const int group_base = lane & ~(lanes_per_block - 1);
    BlockScaling mine{};
    if (share) {
      const int my_u = (lane - group_base) & (kUnroll - 1);
      uint32_t bm = b[0];
#pragma unroll
      for (int u = 1; u < kUnroll; ++u) bm = (u == my_u) ? b[u] : bm;
      mine = block_scaling(p.recipe, t, __uint_as_float(bm));
    }
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      BlockScaling s = mine;
      if (share) {
        s.factor = __shfl_sync(0xFFFFFFFFu, mine.factor, group_base + u);
        s.code = static_cast<uint16_t>(__shfl_sync(0xFFFFFFFFu, static_cast<uint32_t>(mine.code), group_base + u));
      }
      if (idx[u] >= n4) continue;
      if (!share) s = block_scaling(p.recipe, t, __uint_as_float(b[u]));
      const int64_t e = idx[u] * 4;  // linear element index (rows are contiguous: cols % B == 0)
      const uint32_t q0 = quantize_fixed<kDiv, kSR>(p, s, v[u].x, e), q1 = quantize_fixed<kDiv, kSR>(p, s, v[u].y, e + 1);
      const uint32_t q2 = quantize_fixed<kDiv, kSR>(p, s, v[u].z, e + 2), q3 = quantize_fixed<kDiv, kSR>(p, s, v[u].w, e + 3);
      reinterpret_cast<uint16_t*>(p.codes)[idx[u]] = static_cast<uint16_t>(q0 | (q1 << 4) | (q2 << 8) | (q3 << 12));
      if (p.has_scale && (lane & (lanes_per_block - 1)) == 0) store_scale(p, idx[u] >> lanes_shift, s.code);  // e / B
    }
  }
}

// Generic 1-D path: one thread per block (B >= 2) or per pair of blocks (B == 1, so a byte has one writer).
__global__ void quantize_generic_kernel(QuantParams p) {
  const float amax = param_amax(p);
  const TensorScaling t = tensor_scaling(p.recipe, amax);
  const int per = p.block == 1 ? 2 : 1;
  const int64_t groups_per_row = (p.blocks_per_row + per - 1) / per;
  const int64_t total = p.rows * groups_per_row;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t gi = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; gi < total; gi += stride) {
    const int64_t r = gi / groups_per_row;
    const int64_t kb0 = (gi % groups_per_row) * per;
    const float* row = p.x + r * p.cols;
    uint8_t* out = p.codes + r * p.row_stride;
    // block scalings of the group (B == 1: two one-element blocks share a byte, so one thread writes both)
    BlockScaling sc[2];
    for (int j = 0; j < per && kb0 + j < p.blocks_per_row; ++j) {
      const int64_t c0 = (kb0 + j) * p.block, c1 = min(c0 + p.block, p.cols);
      uint32_t b = 0;
      for (int64_t c = c0; c < c1; ++c) b = max(b, __float_as_uint(row[c]) & 0x7FFFFFFFu);
      sc[j] = block_scaling(p.recipe, t, __uint_as_float(b));
      if (p.has_scale) store_scale(p, r * p.blocks_per_row + kb0 + j, sc[j].code);
    }
    const int64_t c_begin = kb0 * p.block, c_end = min((kb0 + per) * p.block, p.cols);
    for (int64_t c = c_begin; c < c_end; c += 2) {
      const uint32_t lo = quantize_one(p, sc[(c - c_begin) / p.block], row[c], r * p.cols + c);
      const uint32_t hi =
          (c + 1 < c_end) ? quantize_one(p, sc[(c + 1 - c_begin) / p.block], row[c + 1], r * p.cols + c + 1) : 0u;
      out[c / 2] = static_cast<uint8_t>(lo | (hi << 4));
    }
  }
}

// 2-D path: 16 lanes per 16 x 16 tile (lane = row of the tile); tile amax by shuffles over the 16 lanes.
static_assert(kBlock2dSide == 16, "quantize_tile_kernel is written for 16-row tiles (16-lane shuffles)");
__global__ void quantize_tile_kernel(QuantParams p) {
  const float amax = param_amax(p);
  const TensorScaling t = tensor_scaling(p.recipe, amax);
  const int64_t tile_rows = (p.rows + 15) / 16;
  const int64_t tiles = tile_rows * p.blocks_per_row;
  const int64_t lanes_total = tiles * 16;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const int64_t start = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t iters = (lanes_total + stride - 1) / stride;
  for (int64_t it = 0; it < iters; ++it) {
    const int64_t li = start + it * stride;
    const bool active = li < lanes_total;
    const int64_t tile = li / 16;
    const int64_t tr = tile / p.blocks_per_row, kb = tile % p.blocks_per_row;
    const int64_t r = tr * 16 + (li % 16);
    const int64_t c0 = kb * 16, c1 = min(c0 + 16, p.cols);
    const bool row_ok = active && r < p.rows;
    uint32_t b = 0;
    if (row_ok)
      for (int64_t c = c0; c < c1; ++c) b = max(b, __float_as_uint(p.x[r * p.cols + c]) & 0x7FFFFFFFu);
    for (int off = 8; off > 0; off >>= 1) b = max(b, __shfl_xor_sync(0xFFFFFFFFu, b, off));
    if (!row_ok) continue;
    const BlockScaling s = block_scaling(p.recipe, t, __uint_as_float(b));
    if (p.has_scale && (li % 16) == 0) store_scale(p, tr * p.blocks_per_row + kb, s.code);
    uint8_t* out = p.codes + r * p.row_stride;
    for (int64_t c = c0; c < c1; c += 2) {
      const uint32_t lo = quantize_one(p, s, p.x[r * p.cols + c], r * p.cols + c);
      const uint32_t hi = (c + 1 < c1) ? quantize_one(p, s, p.x[r * p.cols + c + 1], r * p.cols + c + 1) : 0u;
      out[c / 2] = static_cast<uint8_t>(lo | (hi << 4));
    }
  }
}

// FP8 (E4M3 with one per-tensor scale A / 448): one byte per element, v = x / s, rn or sr.
__global__ void quantize_fp8_kernel(QuantParams p) {
  const float amax = param_amax(p);
  const TensorScaling t = tensor_scaling(DevRecipe::Fp8, amax);
  const int64_t n = p.rows * p.cols;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float v = __fdiv_rn(__ldg(p.x + i), t.g);
    p.codes[i] = p.stochastic ? e4m3_stochastic(v, philox_word0(p.seed, static_cast<uint64_t>(i))) : e4m3_encode(v);
  }
}

// CTAs of `kernel` that fit on all SMs at once.
template <typename K>
int64_t resident_ctas(K kernel, int threads) {
  int dev = 0, sms = 0, per_sm = 0;
  cudaGetDevice(&dev);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, threads, 0);
  return static_cast<int64_t>(std::max(1, sms)) * std::max(1, per_sm);
}

int grid_for(int64_t work, int threads) {
  int dev = 0, sms = 0;
  cudaGetDevice(&dev);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
  const int64_t want = (work + threads - 1) / threads;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(want, static_cast<int64_t>(sms) * 32)));
}

// The element operation is the same for every block of a recipe: ask block_scaling once on the host.
void launch_vec(const QuantParams& p, int64_t n, int lanes, int shift, cudaStream_t stream) {
  const bool div = block_scaling(p.recipe, TensorScaling{}, 1.0f).op == ElementOp::Div;
  const int grid = grid_for(n / 4 / kUnroll, 256);
  if (div && p.stochastic) quantize_vec_kernel<true, true><<<grid, 256, 0, stream>>>(p, lanes, shift);
  else if (div) quantize_vec_kernel<true, false><<<grid, 256, 0, stream>>>(p, lanes, shift);
  else if (p.stochastic) quantize_vec_kernel<false, true><<<grid, 256, 0, stream>>>(p, lanes, shift);
  else quantize_vec_kernel<false, false><<<grid, 256, 0, stream>>>(p, lanes, shift);
}

// The fast block kernel with the recipe and the rounding as template arguments. Two blocks of 16 per thread (128 B
// in flight), one of 32.
template <DevRecipe R, int kB>
void launch_block(const QuantParams& p, int64_t nblocks, bool reverse, cudaStream_t stream) {
  constexpr int kBlocks = kB == 16 ? 2 : 1;
  const int64_t chunks = (nblocks + kFastThreads * kBlocks - 1) / (kFastThreads * kBlocks);
  if (p.stochastic)
    quantize_block_kernel<R, true, kB, kBlocks><<<static_cast<unsigned>(chunks), kFastThreads, 0, stream>>>(p, nblocks, reverse);
  else
    quantize_block_kernel<R, false, kB, kBlocks><<<static_cast<unsigned>(chunks), kFastThreads, 0, stream>>>(p, nblocks, reverse);
}

// Launches the fast kernel when it covers the spec (1-D nvfp4 B = 16, mxfp4 B = 32, fp4 / fp4-tensor with any
// grouping of 16; cols % 16 or 32 == 0, 16-byte aligned input). NVFP4_QUANTIZE_KERNEL=vec forces the older kernels
// (kept for the other block sizes; the tests run both).
bool launch_fast(const QuantParams& p, bool aligned16, bool reverse, cudaStream_t stream) {
  const char* force = std::getenv("NVFP4_QUANTIZE_KERNEL");
  if (!aligned16 || (force != nullptr && std::strcmp(force, "vec") == 0)) return false;
  const int64_t n = p.rows * p.cols;
  const bool b16 = p.cols % 16 == 0 && (p.block == 16 || !p.has_scale), b32 = p.cols % 32 == 0 && p.block == 32;
  switch (p.recipe) {
    case DevRecipe::TE: if (!b16) return false; launch_block<DevRecipe::TE, 16>(p, n / 16, reverse, stream); return true;
    case DevRecipe::TorchAO: if (!b16) return false; launch_block<DevRecipe::TorchAO, 16>(p, n / 16, reverse, stream); return true;
    case DevRecipe::ModelOpt: if (!b16) return false; launch_block<DevRecipe::ModelOpt, 16>(p, n / 16, reverse, stream); return true;
    case DevRecipe::Cutlass: if (!b16) return false; launch_block<DevRecipe::Cutlass, 16>(p, n / 16, reverse, stream); return true;
    case DevRecipe::Fp4: if (!b16) return false; launch_block<DevRecipe::Fp4, 16>(p, n / 16, reverse, stream); return true;
    case DevRecipe::Fp4Tensor: if (!b16) return false; launch_block<DevRecipe::Fp4Tensor, 16>(p, n / 16, reverse, stream); return true;
    case DevRecipe::MxFloor: if (!b32) return false; launch_block<DevRecipe::MxFloor, 32>(p, n / 32, reverse, stream); return true;
    case DevRecipe::MxRCeil: if (!b32) return false; launch_block<DevRecipe::MxRCeil, 32>(p, n / 32, reverse, stream); return true;
    default: return false;
  }
}

}  // namespace

DevRecipe dev_recipe_of(const QuantSpec& spec) {
  switch (spec.scheme) {
    case Scheme::NVFP4:
      switch (spec.recipe) {
        case Recipe::TE: return DevRecipe::TE;
        case Recipe::TorchAO: return DevRecipe::TorchAO;
        case Recipe::ModelOpt: return DevRecipe::ModelOpt;
        case Recipe::Cutlass: return DevRecipe::Cutlass;
        default: break;
      }
      break;
    case Scheme::MXFP4:
      if (spec.recipe == Recipe::Floor) return DevRecipe::MxFloor;
      if (spec.recipe == Recipe::RCeil) return DevRecipe::MxRCeil;
      break;
    case Scheme::FP4: return DevRecipe::Fp4;
    case Scheme::FP4Tensor: return DevRecipe::Fp4Tensor;
    case Scheme::FP8: return DevRecipe::Fp8;
    case Scheme::INT4: return DevRecipe::Int4;
    case Scheme::FP16: return DevRecipe::Fp16;
    default: break;
  }
  throw Error("gpu quantize: scheme '" + std::string(to_string(spec.scheme)) + "' with recipe '" +
              std::string(to_string(spec.recipe)) + "' has no GPU kernel (supported: nvfp4 te/torchao/modelopt/cutlass, "
              "mxfp4 floor/rceil, fp4, fp4-tensor, fp8, fp16, int4)");
}

}  // namespace nvfp4::cuda

namespace nvfp4::gpu {

using cuda::AmaxResult;
using cuda::QuantParams;

void require_gpu_quantize_support(const QuantSpec& spec) {
  spec.validate();
  (void)cuda::dev_recipe_of(spec);
}

namespace {

// Shapes q for (rows, cols, spec), reusing buffers of the right size.
void shape_output(DeviceQuantized& q, int64_t rows, int64_t cols, const QuantSpec& spec) {
  if (rows <= 0 || cols <= 0)
    throw Error("gpu quantize: shape " + std::to_string(rows) + " x " + std::to_string(cols) + " is empty");
  q.spec = spec;
  q.rows = rows;
  q.cols = cols;
  const size_t codes = static_cast<size_t>(rows * code_row_bytes(spec.scheme, cols));
  const ScaleGrid grid = scale_grid(spec, rows, cols);
  const size_t scales = static_cast<size_t>(grid.rows * grid.cols * scale_bytes(spec.scheme));
  if (q.codes.size() != codes) q.codes.allocate(codes, "quantized codes");
  if (q.scales.size() != scales) q.scales.allocate(scales, "block scales");
  if (q.scratch.size() < sizeof(AmaxResult)) q.scratch.allocate(sizeof(AmaxResult), "amax");
}

// d_amax_bits: the amax pass's result on the device, or null with `amax` given. reverse: walk the fast kernel's chunks
// from the end, where the amax pass finished (that tail is still in L2).
void launch_blocks(const float* d_x, const DeviceQuantized& q, const uint32_t* d_amax_bits, float amax, bool reverse,
                   cudaStream_t stream) {
  const QuantSpec& spec = q.spec;
  const int64_t rows = q.rows, cols = q.cols, n = rows * cols;
  const bool scaled = has_block_scale(spec.scheme);
  const int block = spec.block;  // a 2-D block is block x block (QuantSpec::validate)
  const bool aligned16 = (reinterpret_cast<uintptr_t>(d_x) % 16) == 0;
  QuantParams p{};
  p.x = d_x;
  p.rows = rows;
  p.cols = cols;
  p.block = block;
  p.blocks_per_row = scaled ? (cols + block - 1) / block : 1;
  p.row_stride = (cols + 1) / 2;
  p.recipe = cuda::dev_recipe_of(spec);
  p.has_scale = scaled;
  p.scale_bytes = scale_bytes(spec.scheme);
  p.stochastic = spec.rounding == Rounding::SR;
  p.seed = spec.seed;
  p.amax_bits = d_amax_bits;
  p.amax_value = amax;
  p.codes = q.codes.get();
  p.scales = q.scales.get();
  if (!spec.block_2d && cuda::launch_fast(p, aligned16, reverse, stream)) {
  } else if (spec.scheme == Scheme::FP8) {
    cuda::quantize_fp8_kernel<<<cuda::grid_for(n, 256), 256, 0, stream>>>(p);
  } else if (spec.block_2d) {
    const int64_t lanes = (rows + 15) / 16 * p.blocks_per_row * 16;
    cuda::quantize_tile_kernel<<<cuda::grid_for(lanes, 256), 256, 0, stream>>>(p);
  } else if (scaled && spec.scheme != Scheme::INT4 && block >= 4 && block <= 128 && cols % block == 0 && aligned16) {
    cuda::launch_vec(p, n, block / 4, __builtin_ctz(block / 4), stream);
  } else if (!scaled && cols % 4 == 0 && aligned16) {
    p.block = 4;  // no scales: any 4-element grouping gives the same codes
    cuda::launch_vec(p, n, 1, 0, stream);
  } else {
    if (!scaled) {
      p.block = 2;
      p.blocks_per_row = (cols + 1) / 2;
    }
    const int per = p.block == 1 ? 2 : 1;
    const int64_t groups = rows * ((p.blocks_per_row + per - 1) / per);
    cuda::quantize_generic_kernel<<<cuda::grid_for(groups, 128), 128, 0, stream>>>(p);
  }
  NVFP4_CUDA_CHECK_LAUNCH("quantize");
}

}  // namespace

namespace {

// 16 pinned bytes per host thread for the amax readback (a pageable copy adds a staging round trip, ~10 us on
// small tensors); allocated once and deliberately never freed.
AmaxResult* pinned_amax() {
  thread_local AmaxResult* p = nullptr;
  if (p == nullptr) NVFP4_CUDA_CHECK(cudaHostAlloc(reinterpret_cast<void**>(&p), sizeof(AmaxResult), cudaHostAllocPortable));
  return p;
}

// Error path only: the position of the first NaN/Inf (the fast amax pass only says that there is one).
[[noreturn]] void throw_nonfinite(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, AmaxResult* amax,
                                  cudaStream_t stream) {
  const AmaxResult init{0u, ~0ull};
  NVFP4_CUDA_CHECK(cudaMemcpyAsync(amax, &init, sizeof init, cudaMemcpyHostToDevice, stream));
  cuda::amax_kernel<<<cuda::grid_for(rows * cols, 256), 256, 0, stream>>>(d_x, rows * cols, amax);
  NVFP4_CUDA_CHECK_LAUNCH("amax");
  AmaxResult* pinned = pinned_amax();
  NVFP4_CUDA_CHECK(cudaMemcpyAsync(pinned, amax, sizeof *pinned, cudaMemcpyDeviceToHost, stream));
  NVFP4_CUDA_CHECK(cudaStreamSynchronize(stream));
  const AmaxResult h = *pinned;
  const int64_t i = static_cast<int64_t>(h.first_nonfinite);
  if (!spec.follow_hardware_on_nonfinite)
    throw Error("gpu quantize: non-finite input at element [" + std::to_string(i / cols) + "][" +
                std::to_string(i % cols) + "] (linear index " + std::to_string(i) +
                "); NaN/Inf are refused unless follow_hardware_on_nonfinite is set");
  throw Error("gpu quantize: follow_hardware_on_nonfinite is not implemented on the GPU (input has NaN/Inf at "
              "linear index " + std::to_string(i) + ")");
}

// FP16: one pass (no tensor scale), which also yields max |x| bits for the non-finite check.
void launch_fp16(const float* d_x, int64_t n, DeviceQuantized& q, uint32_t* d_max_bits, cudaStream_t stream) {
  const bool vec = reinterpret_cast<uintptr_t>(d_x) % 16 == 0;
  const int grid = cuda::grid_for(vec ? n / 4 : n, cuda::kFastThreads);
  cuda::quantize_fp16_kernel<<<grid, cuda::kFastThreads, 0, stream>>>(d_x, n, vec,
                                                                      reinterpret_cast<uint16_t*>(q.codes.get()), d_max_bits);
  NVFP4_CUDA_CHECK_LAUNCH("quantize fp16");
}

}  // namespace

void quantize_into(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, DeviceQuantized& q,
                   cudaStream_t stream) {
  require_gpu_quantize_support(spec);
  if (d_x == nullptr) throw Error("gpu quantize: input pointer is null");
  shape_output(q, rows, cols, spec);
  AmaxResult* amax = reinterpret_cast<AmaxResult*>(q.scratch.get());
  const int64_t n = rows * cols;

  // 1. max |x| bits (the tensor amax, or >= 0x7F800000 when an element is NaN/Inf), then 2. the blocks, launched
  // right behind it (they read the amax from device memory, so there is no host round trip between the passes).
  NVFP4_CUDA_CHECK(cudaMemsetAsync(&amax->amax_bits, 0, sizeof amax->amax_bits, stream));
  bool scalar_amax = false;  // the scalar kernel leaves non-finite elements out of the max (it records a position)
  if (spec.scheme == Scheme::FP16) {
    launch_fp16(d_x, n, q, &amax->amax_bits, stream);
  } else {
    scalar_amax = !((reinterpret_cast<uintptr_t>(d_x) % 16) == 0 && n % 4 == 0);
    if (!scalar_amax) {
      // One resident wave (grid = what fits on the SMs): all CTAs walk the tensor front to back together, so the
      // last ~L2-size bytes read are the tensor's tail, where the reversed block pass starts.
      const int64_t n4 = n / 4;
      const int grid = static_cast<int>(std::min<int64_t>(cuda::resident_ctas(cuda::amax_fast_kernel, cuda::kFastThreads),
                                                          std::max<int64_t>(1, n4 / (cuda::kFastThreads * cuda::kAmaxUnroll))));
      cuda::amax_fast_kernel<<<grid, cuda::kFastThreads, 0, stream>>>(reinterpret_cast<const float4*>(d_x), n4,
                                                                      &amax->amax_bits);
    } else {  // unaligned or n % 4 != 0: the scalar kernel, which also records the first NaN/Inf position
      NVFP4_CUDA_CHECK(cudaMemsetAsync(&amax->first_nonfinite, 0xFF, sizeof amax->first_nonfinite, stream));
      cuda::amax_kernel<<<cuda::grid_for(n, 256), 256, 0, stream>>>(d_x, n, amax);
    }
    NVFP4_CUDA_CHECK_LAUNCH("amax");
    const char* order = std::getenv("NVFP4_QUANTIZE_ORDER");  // "forward": no reversal (to measure what it gains)
    const bool reverse = order == nullptr || std::strcmp(order, "forward") != 0;
    launch_blocks(d_x, q, &amax->amax_bits, 0.0f, reverse, stream);
  }
  // 3. the one synchronization: the amax for the host-side tensor scale and the non-finite check. A NaN/Inf input
  // made the block pass write garbage, which is never returned: the error is thrown instead.
  AmaxResult* pinned = pinned_amax();
  NVFP4_CUDA_CHECK(cudaMemcpyAsync(pinned, amax, sizeof *pinned, cudaMemcpyDeviceToHost, stream));
  NVFP4_CUDA_CHECK(cudaStreamSynchronize(stream));
  const AmaxResult h = *pinned;
  if (scalar_amax ? h.first_nonfinite != ~0ull : h.amax_bits >= 0x7F800000u)
    throw_nonfinite(d_x, rows, cols, spec, amax, stream);
  float amax_f;
  std::memcpy(&amax_f, &h.amax_bits, 4);
  q.tensor_scale = cuda::tensor_scaling(cuda::dev_recipe_of(spec), amax_f).tensor_scale;
}

void quantize_with_amax(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, float amax,
                        DeviceQuantized& q, cudaStream_t stream) {
  require_gpu_quantize_support(spec);
  if (d_x == nullptr) throw Error("gpu quantize: input pointer is null");
  if (!(amax >= 0.0f) || amax > cuda::kFltMax) throw Error("gpu quantize: the given amax must be finite and >= 0");
  shape_output(q, rows, cols, spec);
  q.tensor_scale = cuda::tensor_scaling(cuda::dev_recipe_of(spec), amax).tensor_scale;
  if (spec.scheme == Scheme::FP16) {  // the amax is not needed; the max the kernel writes is not read
    launch_fp16(d_x, rows * cols, q, reinterpret_cast<uint32_t*>(q.scratch.get()), stream);
    return;
  }
  launch_blocks(d_x, q, nullptr, amax, /*reverse=*/false, stream);  // the amax goes in the kernel parameters
}

DeviceQuantized quantize(const float* d_x, int64_t rows, int64_t cols, const QuantSpec& spec, cudaStream_t stream) {
  DeviceQuantized q;
  quantize_into(d_x, rows, cols, spec, q, stream);
  NVFP4_CUDA_CHECK(cudaStreamSynchronize(stream));
  return q;
}

}  // namespace nvfp4::gpu
