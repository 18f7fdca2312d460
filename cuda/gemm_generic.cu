// General exact GEMM D = A x B^T on the CUDA cores, bit-exact with the golden general path
// (numerics/gemm/gemm_generic.cpp): every scheme pair the golden GEMM accepts that cuda/gemm.cu's tensor-core kernels
// do not take (fp4, fp4-tensor, nvfp4 x mxfp4, other block sizes, fp8 / fp16 / int4 weights).
//
// Per output and chunk (the block of the block-scaled operand, else 16): the exact integer sum s of element units
// (value = unit * 2^unit_exp), then the golden term sa * sb * s * 2^(ua + ub) (cuda/kernels/exact_term.cuh), handed to
// the policy in k order. Tensor cores cannot do this: fp8 / fp16 / int4 units times E2M1 need up to 52-bit sums.
// Operands are decoded once into int8 (A) and int32 / int64 (B) units, scales into floats per chunk; a 64 x 64 CTA
// tile of 16 x 16 threads (4 x 4 outputs each) walks K in shared-memory tiles of 32.
#include <algorithm>
#include <string>
#include <type_traits>

#include "cuda/gemm_generic.hpp"
#include "cuda/kernels/exact_term.cuh"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"

namespace nvfp4::cuda {
namespace {

constexpr int kTile = 64, kTileK = 32, kThreads = 256;

bool is_e2m1(Scheme s) {
  return s == Scheme::NVFP4 || s == Scheme::MXFP4 || s == Scheme::FP4 || s == Scheme::FP4Tensor;
}
int unit_exp_of(Scheme s) { return s == Scheme::FP8 ? -9 : s == Scheme::FP16 ? -24 : s == Scheme::INT4 ? 0 : -1; }
int scale_min_exp_of(Scheme s) { return s == Scheme::NVFP4 ? -6 : s == Scheme::MXFP4 ? -127 : -126; }
int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// ---- decoding (one thread per element / per row chunk)
__device__ __forceinline__ uint32_t code_at(const uint8_t* codes, int bits, int64_t r, int64_t c, int64_t cols) {
  if (bits == 4) {
    const uint8_t byte = codes[r * ((cols + 1) / 2) + c / 2];
    return (c & 1) ? byte >> 4 : byte & 0xFu;
  }
  if (bits == 8) return codes[r * cols + c];
  const uint8_t* p = codes + (r * cols + c) * 2;
  return p[0] | (static_cast<uint32_t>(p[1]) << 8);
}

__global__ void decode_a_kernel(const uint8_t* codes, int64_t rows, int64_t cols, int64_t rows_pad, int64_t k_pad,
                                int8_t* out) {
  const int64_t n = rows_pad * k_pad, stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const int64_t r = i / k_pad, c = i - r * k_pad;
    out[i] = r < rows && c < cols ? static_cast<int8_t>(e2m1_half_units(code_at(codes, 4, r, c, cols))) : 0;
  }
}

// B units (int32 or int64) and, for fp8 / fp16, the class of each element (golden: NaN/Inf elements give the
// special term; their unit is 0).
template <typename U>
__global__ void decode_b_kernel(const uint8_t* codes, Scheme scheme, int64_t rows, int64_t cols, int64_t rows_pad,
                                int64_t k_pad, U* out, uint8_t* cls) {
  const int64_t n = rows_pad * k_pad, stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const int bits = scheme == Scheme::FP8 ? 8 : scheme == Scheme::FP16 ? 16 : 4;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const int64_t r = i / k_pad, c = i - r * k_pad;
    U u = 0;
    if (r < rows && c < cols) {
      const uint32_t code = code_at(codes, bits, r, c, cols);
      uint8_t k = 0;
      if (scheme == Scheme::INT4) {
        u = static_cast<int>(code) >= 8 ? static_cast<int>(code) - 16 : static_cast<int>(code);
      } else if (scheme == Scheme::FP8 || scheme == Scheme::FP16) {
        const float v = scheme == Scheme::FP8 ? e4m3_decode(static_cast<uint8_t>(code))
                                              : fp16_decode(static_cast<uint16_t>(code));
        if (v != v) k = 3;
        else if (isinf(v)) k = v > 0 ? 1 : 2;
        else u = static_cast<U>(__dmul_rn(static_cast<double>(v), scheme == Scheme::FP8 ? 512.0 : 16777216.0));
        cls[r * cols + c] = k;
      } else {
        u = e2m1_half_units(static_cast<uint8_t>(code));
      }
    }
    out[i] = u;
  }
}

// Block scale of (row, chunk kb) as a float (1 when unscaled); for B also whether the chunk holds a non-finite element.
__global__ void decode_scales_kernel(const uint8_t* scales, Scheme scheme, int block, bool block_2d, int64_t rows,
                                     int64_t rows_pad, int64_t cols, int chunk, int64_t chunks, float* out,
                                     const uint8_t* cls, uint8_t* special) {
  const int64_t n = rows_pad * chunks, stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const bool scaled = scheme == Scheme::NVFP4 || scheme == Scheme::MXFP4 || scheme == Scheme::INT4;
  const int64_t bpr = (cols + block - 1) / block;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const int64_t r = i / chunks, kb = i - r * chunks;
    float s = 1.0f;
    if (r < rows && scaled) {
      const int64_t at = (block_2d ? r / kBlock2dSide : r) * bpr + kb * chunk / block;
      if (scheme == Scheme::NVFP4) s = ue4m3_decode(scales[at]);
      else if (scheme == Scheme::MXFP4) s = ue8m0_decode(scales[at]);
      else s = fp16_decode(static_cast<uint16_t>(scales[2 * at] | (scales[2 * at + 1] << 8)));
    }
    out[i] = s;
    if (special) {
      uint8_t f = 0;
      if (cls && r < rows)
        for (int64_t c = kb * chunk; c < cols && c < (kb + 1) * chunk; ++c) f |= cls[r * cols + c];
      special[i] = f != 0;
    }
  }
}

// ---- the GEMM kernel
// The accumulation policy is numerics' one enum (numerics/gemm.hpp), used as the kernel's template parameter.
using Policy = AccumPolicy::Kind;

struct Params {
  const int8_t* ua;
  const void* ub;
  const uint8_t* cls;      // B element classes, or null
  const uint8_t* special;  // [n_pad][chunks]
  const float* sa;
  const float* sb;
  int64_t m, n, k, k_pad, chunks;
  int chunk, term_len;     // term_len: chunk, or min(chunk, 16) for blackwell-mma groups
  int unit_exp, b_unit_exp, a_min_exp, b_min_exp;
  float tensor_scale_product;
  FixedRegister fixed;
  float* d;
};

// A term holding a NaN/Inf scale or element: the golden model evaluates the same products in double (exact here:
// every product and partial sum is a multiple of 2^(unit_exp) below 2^53 of them) and rounds sa * sb * sum to float.
template <typename U>
__device__ __noinline__ float special_term(const Params& p, int64_t row, int64_t col, int64_t k0, int64_t k1, float sa,
                                           float sb) {
  const U* ub = static_cast<const U*>(p.ub);
  const double b_unit = ldexp(1.0, p.b_unit_exp);
  double sum = 0.0;
  for (int64_t k = k0; k < k1; ++k) {
    const double av = 0.5 * p.ua[row * p.k_pad + k];
    const uint8_t c = p.cls ? p.cls[col * p.k + k] : 0;
    const double inf = __longlong_as_double(0x7FF0000000000000ll);
    const double bv = c == 1 ? inf : c == 2 ? -inf : c == 3 ? __longlong_as_double(0x7FF8000000000000ll)
                                                            : __dmul_rn(static_cast<double>(ub[col * p.k_pad + k]), b_unit);
    sum = __dadd_rn(sum, __dmul_rn(av, bv));
  }
  return __double2float_rn(__dmul_rn(__dmul_rn(static_cast<double>(sa), static_cast<double>(sb)), sum));
}

__device__ __forceinline__ bool finite(float x) { return (float_bits(x) & 0x7F800000u) != 0x7F800000u; }

template <Policy P, typename U>
__global__ void __launch_bounds__(kThreads) generic_gemm_kernel(Params p) {
  __shared__ int32_t as[kTileK][kTile];
  __shared__ U bs[kTileK][kTile];
  using Sum = std::conditional_t<sizeof(U) == 8, int64_t, int32_t>;  // int32: |sum| < 12 * 229376 * 256 < 2^31
  const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * kTile, n0 = static_cast<int64_t>(blockIdx.x) * kTile;
  const U* ub = static_cast<const U*>(p.ub);

  Sum s[4][4] = {};
  float acc[4][4];                 // fp32-seq accumulator / blackwell-mma C
  int64_t fx[4][4];                // fixed:W:F register
  int64_t tsum[4][4];              // blackwell-mma: truncated terms of the current 64-element chunk
  int emax[4][4];
  uint32_t nan_mask = 0;           // fixed:W:F: a NaN term reached output i * 4 + j
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      acc[i][j] = 0.0f;
      fx[i][j] = 0;
      tsum[i][j] = 0;
      emax[i][j] = 0;
    }

  for (int64_t k0 = 0; k0 < p.k; k0 += kTileK) {
    {  // A: 64 rows x 32 int8 (8 per thread); B: 64 rows x 32 units (8 per thread); stored k-major
      const int row = tid >> 2, kq = (tid & 3) * 8;
      const uint2 wa = *reinterpret_cast<const uint2*>(p.ua + (m0 + row) * p.k_pad + k0 + kq);
#pragma unroll
      for (int j = 0; j < 8; ++j)
        as[kq + j][row] = static_cast<int8_t>((j < 4 ? wa.x : wa.y) >> (8 * (j & 3)));
      const U* src = ub + (n0 + row) * p.k_pad + k0 + kq;
#pragma unroll
      for (int j = 0; j < 8; ++j) bs[kq + j][row] = src[j];
    }
    __syncthreads();
    const int kn = static_cast<int>(p.k - k0 < kTileK ? p.k - k0 : kTileK);
    for (int kk = 0; kk < kn; ++kk) {
      const int64_t k = k0 + kk;
      if constexpr (P == Policy::BlackwellMma) {
        if ((k & 63) == 0) {  // chunk start: Emax over C and the scale exponents of the chunk's groups
          const int64_t kb0 = k / p.chunk, kb1 = (min(p.k, k + 64) - 1) / p.chunk;
#pragma unroll
          for (int i = 0; i < 4; ++i)
#pragma unroll
            for (int j = 0; j < 4; ++j) {
              const float c = acc[i][j];
              int e = c == 0.0f || !finite(c) ? -126 : max(floor_log2_abs(c), -126);
              const int64_t row = m0 + ty + 16 * i, col = n0 + tx + 16 * j;
              for (int64_t kb = kb0; kb <= kb1; ++kb) {
                const float sa = p.sa[row * p.chunks + kb], sb = p.sb[col * p.chunks + kb];
                if (finite(sa) && finite(sb))
                  e = max(e, mmasim_exponent_of(sa, p.a_min_exp) + mmasim_exponent_of(sb, p.b_min_exp));
              }
              emax[i][j] = e;
              tsum[i][j] = 0;
            }
        }
      }
      int32_t a[4];
      U b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) a[i] = as[kk][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; ++j) b[j] = bs[kk][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) s[i][j] += static_cast<Sum>(a[i]) * b[j];
      if (((k + 1) & (p.term_len - 1)) != 0 && k + 1 != p.k) continue;

      // a term ends at k: [kt, k] with the scales of chunk kb
      const int64_t kt = k - (k & (p.term_len - 1)), kb = k / p.chunk;
      const bool chunk_end = P == Policy::BlackwellMma && (((k + 1) & 63) == 0 || k + 1 == p.k);
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) {
          const int64_t row = m0 + ty + 16 * i, col = n0 + tx + 16 * j;
          const int64_t sum = s[i][j];
          s[i][j] = 0;
          if (row >= p.m || col >= p.n) continue;
          const float sa = p.sa[row * p.chunks + kb], sb = p.sb[col * p.chunks + kb];
          const bool special = !finite(sa) || !finite(sb) || p.special[col * p.chunks + kb];
          if constexpr (P == Policy::BlackwellMma) {
            if (special) {
              const float t = special_term<U>(p, row, col, kt, k + 1, sa, sb);
              if (t != t) acc[i][j] = bits_float(kMmaSimNan);  // sticky; an Inf group term is dropped, as golden
            } else {
              tsum[i][j] += mmasim_truncate(exact_product(sum, p.unit_exp, sa, sb), emax[i][j]);
            }
            if (chunk_end && finite(acc[i][j])) {
              const float c = rz_from_scaled(tsum[i][j] + trunc_scaled(acc[i][j], kMmaFracBits - emax[i][j]),
                                             emax[i][j] - kMmaFracBits);
              acc[i][j] = c == 0.0f ? 0.0f : c;  // MMA-Sim's integer sum has no negative zero
            }
          } else {
            const float t = special ? special_term<U>(p, row, col, kt, k + 1, sa, sb)
                                    : exact_term_fp32(sum, p.unit_exp, sa, sb);
            if constexpr (P == Policy::Fp32Seq) {
              acc[i][j] = add_rn(acc[i][j], t);
            } else {
              if (t != t) nan_mask |= 1u << (i * 4 + j);
              else fx[i][j] = fixed_add(fx[i][j], t, p.fixed);
            }
          }
        }
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int64_t row = m0 + ty + 16 * i, col = n0 + tx + 16 * j;
      if (row >= p.m || col >= p.n) continue;
      float v;
      if constexpr (P == Policy::Fixed)
        v = fixed_finish(fx[i][j], (nan_mask >> (i * 4 + j)) & 1u, p.fixed.frac, p.tensor_scale_product);
      else
        v = finish_output(acc[i][j], p.tensor_scale_product, P == Policy::BlackwellMma);
      p.d[row * p.n + col] = v;
    }
}

int grid_for(int64_t n) { return static_cast<int>(std::min<int64_t>((n + 255) / 256, 132 * 32)); }

template <Policy P, typename U>
void launch(const Params& p, const gpu::GenericGemmOperands& o, cudaStream_t stream) {
  const dim3 grid(static_cast<unsigned>(o.n_pad / kTile), static_cast<unsigned>(o.m_pad / kTile));
  generic_gemm_kernel<P, U><<<grid, kThreads, 0, stream>>>(p);
  NVFP4_CUDA_CHECK_LAUNCH("generic gemm");
}

}  // namespace

bool tensor_core_pair(const QuantSpec& a, const QuantSpec& b) {
  const int ba = a.block, bb = b.block;  // a 2-D block is block x block (QuantSpec::validate)
  if (a.scheme == Scheme::NVFP4 && b.scheme == Scheme::NVFP4) return ba == 16 && bb == 16;
  if (a.scheme == Scheme::MXFP4 && b.scheme == Scheme::MXFP4) return ba == 32 && bb == 32 && !a.block_2d && !b.block_2d;
  return false;
}

// The golden plan_gemm's refusals (numerics/gemm/operands.cpp), same order and words.
namespace {
void require_policy(const AccumPolicy& policy) {
  if (policy.kind == AccumPolicy::Kind::Fixed &&
      (policy.width < 8 || policy.width > 64 || policy.frac < 0 || policy.frac >= policy.width))
    throw Error("gpu gemm: policy fixed:" + std::to_string(policy.width) + ":" + std::to_string(policy.frac) +
                " is out of range (W in 8..64, F in 0..W-1)");
}
void require_blackwell_operands(Scheme b, const AccumPolicy& policy) {
  if (policy.kind == AccumPolicy::Kind::BlackwellMma && !is_e2m1(b))
    throw Error("gpu gemm: policy blackwell-mma models FP4 x FP4 block-scaled MMA only; B is " +
                std::string(to_string(b)) + " (use fp32-seq or fixed:W)");
}
}  // namespace

void require_golden_gemm_pair(const QuantSpec& a, const QuantSpec& b, const AccumPolicy& policy) {
  require_policy(policy);
  const std::string sa(to_string(a.scheme)), sb(to_string(b.scheme));
  if (!is_e2m1(a.scheme))
    throw Error("gpu gemm: unsupported scheme pair A " + sa + " x B " + sb +
                ": A (activations) must be nvfp4, mxfp4, fp4 or fp4-tensor");
  require_blackwell_operands(b.scheme, policy);
  for (const auto& [name, s] : {std::pair<const char*, const QuantSpec*>{"A", &a}, {"B", &b}}) {
    try {
      s->validate();
    } catch (const Error& e) {
      throw Error(std::string("gpu gemm: operand ") + name + ": " + e.what());
    }
  }
  if (has_block_scale(a.scheme) && has_block_scale(b.scheme) && a.block != b.block)
    throw Error("gpu gemm: block sizes differ: A " + sa + " block " + std::to_string(a.block) + ", B " + sb +
                " block " + std::to_string(b.block));
}

void prepare_generic_gemm(const gpu::DeviceQuantized& a, const gpu::DeviceQuantized& b, gpu::PreparedGemm& g,
                          cudaStream_t stream) {
  gpu::GenericGemmOperands& o = g.generic_ops;
  g.generic = true;
  o.a_scheme = a.spec.scheme;
  o.b_scheme = b.spec.scheme;
  o.chunk = has_block_scale(a.spec.scheme) ? a.spec.block : has_block_scale(b.spec.scheme) ? b.spec.block : 16;
  o.a_unit_exp = unit_exp_of(a.spec.scheme);
  o.b_unit_exp = unit_exp_of(b.spec.scheme);
  o.a_scale_min_exp = scale_min_exp_of(a.spec.scheme);
  o.b_scale_min_exp = scale_min_exp_of(b.spec.scheme);
  o.b_wide = b.spec.scheme == Scheme::FP16;
  o.m_pad = round_up(g.m, kTile);
  o.n_pad = round_up(g.n, kTile);
  o.k_pad = round_up(g.k, kTileK);
  o.chunks = (g.k + o.chunk - 1) / o.chunk;
  auto fit = [](auto& buf, size_t count, const char* what) {
    if (buf.size() != count) buf.allocate(count, what);
  };
  const bool has_cls = b.spec.scheme == Scheme::FP8 || b.spec.scheme == Scheme::FP16;
  fit(o.ua, static_cast<size_t>(o.m_pad * o.k_pad), "generic gemm A units");
  fit(o.ub, static_cast<size_t>(o.n_pad * o.k_pad) * (o.b_wide ? 8 : 4), "generic gemm B units");
  if (has_cls) fit(o.fb, static_cast<size_t>(g.n * g.k), "generic gemm B element classes");
  else o.fb = {};
  fit(o.special, static_cast<size_t>(o.n_pad * o.chunks), "generic gemm B chunk flags");
  fit(o.sa, static_cast<size_t>(o.m_pad * o.chunks), "generic gemm A scales");
  fit(o.sb, static_cast<size_t>(o.n_pad * o.chunks), "generic gemm B scales");

  decode_a_kernel<<<grid_for(o.m_pad * o.k_pad), 256, 0, stream>>>(a.codes.get(), g.m, g.k, o.m_pad, o.k_pad,
                                                                   o.ua.get());
  NVFP4_CUDA_CHECK_LAUNCH("generic gemm decode A");
  if (o.b_wide)
    decode_b_kernel<int64_t><<<grid_for(o.n_pad * o.k_pad), 256, 0, stream>>>(
        b.codes.get(), b.spec.scheme, g.n, g.k, o.n_pad, o.k_pad, reinterpret_cast<int64_t*>(o.ub.get()), o.fb.get());
  else
    decode_b_kernel<int32_t><<<grid_for(o.n_pad * o.k_pad), 256, 0, stream>>>(
        b.codes.get(), b.spec.scheme, g.n, g.k, o.n_pad, o.k_pad, reinterpret_cast<int32_t*>(o.ub.get()), o.fb.get());
  NVFP4_CUDA_CHECK_LAUNCH("generic gemm decode B");
  decode_scales_kernel<<<grid_for(o.m_pad * o.chunks), 256, 0, stream>>>(
      a.scales.get(), a.spec.scheme, a.spec.block, a.spec.block_2d, g.m, o.m_pad, g.k, o.chunk, o.chunks, o.sa.get(),
      nullptr, nullptr);
  decode_scales_kernel<<<grid_for(o.n_pad * o.chunks), 256, 0, stream>>>(
      b.scales.get(), b.spec.scheme, b.spec.block, b.spec.block_2d, g.n, o.n_pad, g.k, o.chunk, o.chunks, o.sb.get(),
      o.fb.get(), o.special.get());
  NVFP4_CUDA_CHECK_LAUNCH("generic gemm decode scales");
}

std::string run_generic_gemm(const gpu::PreparedGemm& g, const AccumPolicy& policy, float* d_out,
                             cudaStream_t stream) {
  const gpu::GenericGemmOperands& o = g.generic_ops;
  Params p{};
  p.ua = o.ua.get();
  p.ub = o.ub.get();
  p.cls = o.fb.get();
  p.special = o.special.get();
  p.sa = o.sa.get();
  p.sb = o.sb.get();
  p.m = g.m;
  p.n = g.n;
  p.k = g.k;
  p.k_pad = o.k_pad;
  p.chunks = o.chunks;
  p.chunk = o.chunk;
  const bool bw = policy.kind == AccumPolicy::Kind::BlackwellMma;
  p.term_len = bw ? std::min(o.chunk, 16) : o.chunk;
  p.unit_exp = o.a_unit_exp + o.b_unit_exp;
  p.b_unit_exp = o.b_unit_exp;
  p.a_min_exp = o.a_scale_min_exp;
  p.b_min_exp = o.b_scale_min_exp;
  p.tensor_scale_product = g.tensor_scale_product;
  p.fixed.frac = policy.frac;
  p.fixed.max = static_cast<int64_t>((uint64_t{1} << (policy.width - 1)) - 1);
  p.fixed.min = -p.fixed.max - 1;
  p.d = d_out;
  require_policy(policy);  // prepare saw no policy
  require_blackwell_operands(o.b_scheme, policy);
  switch (policy.kind) {
    case AccumPolicy::Kind::Fp32Seq:
      if (o.b_wide) launch<Policy::Fp32Seq, int64_t>(p, o, stream);
      else launch<Policy::Fp32Seq, int32_t>(p, o, stream);
      break;
    case AccumPolicy::Kind::Fixed:
      if (o.b_wide) launch<Policy::Fixed, int64_t>(p, o, stream);
      else launch<Policy::Fixed, int32_t>(p, o, stream);
      break;
    case AccumPolicy::Kind::BlackwellMma: launch<Policy::BlackwellMma, int32_t>(p, o, stream); break;
  }
  return "generic exact CUDA-core 64x64, " + policy.name() + ", " + std::string(to_string(o.a_scheme)) + " x " +
         std::string(to_string(o.b_scheme));
}

}  // namespace nvfp4::cuda
