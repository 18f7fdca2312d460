// Fast E2M1 x E2M1 driver: packs K panels of A (all rows) and of B (a column panel at a time) into the int8 tiles of
// PackedPanels, calls the selected kernel per panel, then applies the tensor scales. Scratch is bounded by
// (M + nc) x kc bytes plus per-block scales, independent of K.
#include "numerics/gemm/fp4_gemm.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/gemm/fp4_operand_reader.hpp"
#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/policy_blackwell_mma.hpp"
#include "numerics/gemm/policy_fixed.hpp"
#include "numerics/gemm/policy_fp32_seq.hpp"

namespace nvfp4::gemm_detail {
namespace {

constexpr int64_t kKPanel = 512;   // reduction elements per packed panel (a multiple of every block size <= 256)
constexpr int64_t kNPanel = 256;   // columns of D per packed B panel

// Kept per thread across calls (a layer's GEMM is one call): sized up only when a larger call comes, so the panels
// are neither cleared nor page-faulted in again on every call (the packers write every byte they hand out).
struct Scratch {
  std::vector<int8_t> a;
  std::vector<int32_t> a_corr;
  std::vector<float> a_scale;
  std::vector<uint8_t> b;
  std::vector<float> b_scale;
  std::vector<int8_t> rows;  // kNTile unpacked B rows of one tile
  std::vector<int32_t> a_gsum;  // one A row's group sums
  std::vector<int32_t> a_gcorr, a_sint, b_sint;  // blackwell-mma only
};

template <typename T>
void ensure(std::vector<T>& v, int64_t n) {
  if (static_cast<int64_t>(v.size()) < n) v.resize(static_cast<size_t>(n));
}

// A block scale as the blackwell-mma kernel wants it: mantissa, exponent (value = mant * 2^exp2), MMA-Sim exponent.
void scale_ints(float s, int min_exp, int32_t* out, int64_t stride) {
  const ScaledInt d = decompose(s);
  out[0] = static_cast<int32_t>(d.mant);
  out[stride] = d.exp2;
  out[2 * stride] = mmasim_scale_exponent(s, min_exp);
}

// `mul` times the sums of `groups` groups of 16 int8 values: psadbw (SSE2, every x86-64 CPU) on the bytes biased to unsigned by
// +128, two groups per step, the bias taken off the exact totals. A's block sums (the correction of B's +12 offset)
// were a byte loop per block, ~2% of a ResNet-18 run, and then a psadbw loop per block, still ~1%.
void group_sums(const int8_t* p, int64_t groups, int32_t mul, int32_t* out) {
  int64_t g = 0;
#if defined(__SSE2__)
  const __m128i bias = _mm_set1_epi8(static_cast<char>(0x80)), zero = _mm_setzero_si128();
  const auto sad = [&](int64_t i) {
    return _mm_sad_epu8(_mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i * kGroup)), bias), zero);
  };
  for (; g + 2 <= groups; g += 2) {
    const __m128i s0 = sad(g), s1 = sad(g + 1);  // two 64-bit halves each
    const __m128i t = _mm_add_epi64(_mm_unpacklo_epi64(s0, s1), _mm_unpackhi_epi64(s0, s1));
    out[g] = mul * (static_cast<int32_t>(_mm_cvtsi128_si64(t)) - 128 * kGroup);
    out[g + 1] = mul * (static_cast<int32_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(t, t))) - 128 * kGroup);
  }
#endif
  for (; g < groups; ++g) {
    int32_t s = 0;
    for (int e = 0; e < kGroup; ++e) s += p[g * kGroup + e];
    out[g] = mul * s;
  }
}

// B tile of one group from kNTile unpacked rows (row j at rows + j * stride): tile byte (q, j, e) = row j's element
// 4q + e. With SSE2 (every x86-64 CPU) a 4 x 4 transpose of 32-bit words per four rows; else 4-byte copies.
void transpose_group(const int8_t* rows, int64_t stride, uint8_t* tile) {
#if defined(__SSE2__)
  for (int j = 0; j < kNTile; j += 4) {
    const auto load = [&](int i) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows + (j + i) * stride)); };
    const __m128i r0 = load(0), r1 = load(1), r2 = load(2), r3 = load(3);
    const __m128i t0 = _mm_unpacklo_epi32(r0, r1), t1 = _mm_unpacklo_epi32(r2, r3);  // q = 0, 1
    const __m128i t2 = _mm_unpackhi_epi32(r0, r1), t3 = _mm_unpackhi_epi32(r2, r3);  // q = 2, 3
    const auto store = [&](int q, __m128i v) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(tile + q * 64 + j * 4), v);
    };
    store(0, _mm_unpacklo_epi64(t0, t1));
    store(1, _mm_unpackhi_epi64(t0, t1));
    store(2, _mm_unpacklo_epi64(t2, t3));
    store(3, _mm_unpackhi_epi64(t2, t3));
  }
#else
  for (int j = 0; j < kNTile; ++j) {
    for (int q = 0; q < 4; ++q) std::memcpy(tile + q * 64 + j * 4, rows + j * stride + q * 4, 4);
  }
#endif
}

}  // namespace

std::string_view kernel_name(Fp4Kernel k) {
  switch (k) {
    case Fp4Kernel::Scalar: return "scalar";
    case Fp4Kernel::Avx2: return "avx2";
    case Fp4Kernel::Avx512Vnni: return "avx512-vnni";
  }
  return "?";
}

std::vector<Fp4Kernel> available_fp4_kernels() {
  std::vector<Fp4Kernel> ks{Fp4Kernel::Scalar};
#if defined(NVFP4_GEMM_X86_KERNELS)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) ks.push_back(Fp4Kernel::Avx2);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vnni")) {
    ks.push_back(Fp4Kernel::Avx512Vnni);
  }
#endif
  return ks;
}

Fp4Kernel best_fp4_kernel() {
  static const Fp4Kernel best = available_fp4_kernels().back();
  return best;
}

namespace {

// UE4M3 or unscaled, and no NaN scale code: the AVX-512 blackwell-mma kernel's domain (no overflow, no NaN).
bool blackwell_simd_operand(const QuantizedTensor& t) {
  if (t.spec.scheme == Scheme::FP4 || t.spec.scheme == Scheme::FP4Tensor) return true;
  if (t.spec.scheme != Scheme::NVFP4) return false;
  return std::none_of(t.scales.begin(), t.scales.end(), [](uint8_t c) { return (c & 0x7F) == 0x7F; });
}

bool no_nan_scale(const QuantizedTensor& t) {
  if (t.spec.scheme == Scheme::NVFP4) {
    return std::none_of(t.scales.begin(), t.scales.end(), [](uint8_t c) { return (c & 0x7F) == 0x7F; });
  }
  if (t.spec.scheme == Scheme::MXFP4) {
    return std::none_of(t.scales.begin(), t.scales.end(), [](uint8_t c) { return c == 0xFF; });
  }
  return true;
}

}  // namespace

bool fp4_fast_path_applies(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                           const AccumPolicy& policy) {
  if (!plan.a_e2m1 || !plan.b_e2m1 || plan.chunk < kGroup) return false;
  if (policy.kind == AccumPolicy::Kind::Fp32Seq) return mx_scales_in_fast_range(a) && mx_scales_in_fast_range(b);
  if (policy.kind == AccumPolicy::Kind::BlackwellMma) {
    return blackwell_simd_supported() && blackwell_simd_operand(a) && blackwell_simd_operand(b);
  }
  // fixed:W:F with W <= 62 keeps acc + t inside int64 (see fp4_kernel_avx512_fixed.cpp); NaN scales go elsewhere.
  return policy.width <= 62 && blackwell_simd_supported() && mx_scales_in_fast_range(a) &&
         mx_scales_in_fast_range(b) && no_nan_scale(a) && no_nan_scale(b);
}

namespace {

// Packs K panels of A (all rows) and column panels of B into Scratch and describes them as PackedPanels.
class Packer {
  static Scratch& scratch() {
    static thread_local Scratch s;
    return s;
  }

 public:
  Packer(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan, bool scale_ints_needed)
      : a_(a), b_(b), plan_(plan), ints_(scale_ints_needed), sa_(a, plan.chunk), sb_(b, plan.chunk) {
    rows_padded_ = (plan.m + 3) / 4 * 4;
    // Scratch for the widest panel this K has (a short K, e.g. a 3x3 convolution's K = 9, packs one group per row:
    // sizing it by kKPanel made a tall A's scratch 32x larger and cleared it every call).
    const int64_t panel_k = std::min(kKPanel, (plan.k + kGroup - 1) / kGroup * kGroup);
    const int64_t a_blocks = rows_padded_ * (panel_k / kGroup), b_blocks = kNPanel * (panel_k / kGroup);
    ensure(s_.a, rows_padded_ * panel_k);
    ensure(s_.a_corr, a_blocks);
    ensure(s_.a_scale, a_blocks);
    ensure(s_.b, kNPanel * panel_k);
    ensure(s_.b_scale, b_blocks);
    ensure(s_.rows, kNTile * panel_k);
    ensure(s_.a_gsum, panel_k / kGroup);
    if (ints_) {
      ensure(s_.a_gcorr, a_blocks);
      ensure(s_.a_sint, 3 * a_blocks);
      ensure(s_.b_sint, 3 * b_blocks);
    }
  }

  // A panel: all rows, elements [k0, k1).
  void pack_a(int64_t k0, int64_t k1) {
    set_k(k0, k1);
    const int chunk = plan_.chunk;
    for (int64_t r = 0; r < rows_padded_; ++r) {
      int8_t* out = s_.a.data() + r * groups_ * kGroup;
      if (r < plan_.m) {
        unpack_row(a_, r, k0, k1, out, groups_ * kGroup);
      } else {
        std::fill(out, out + groups_ * kGroup, int8_t{0});
      }
      float* scale = s_.a_scale.data() + r * blocks_;
      if (r < plan_.m) {
        sa_.row(r, kb0_, blocks_, 1.0f, scale, 1);
      } else {
        std::fill(scale, scale + blocks_, 0.0f);
      }
      // The corrections: -12 x the block sums. Blocks are whole groups (chunk is a power of two >= 16; the last
      // block may have fewer groups).
      const int64_t gpb = chunk / kGroup;
      int32_t* corr = s_.a_corr.data() + r * blocks_;
      int32_t* gcorr = ints_ ? s_.a_gcorr.data() + r * groups_ : gpb == 1 ? corr : s_.a_gsum.data();
      group_sums(out, groups_, -12, gcorr);
      if (gcorr != corr) {
        for (int64_t kb = 0; kb < blocks_; ++kb) {
          int32_t sum = 0;
          for (int64_t g = kb * gpb; g < std::min(groups_, (kb + 1) * gpb); ++g) sum += gcorr[g];
          corr[kb] = sum;
        }
      }
      if (ints_) {
        for (int64_t kb = 0; kb < blocks_; ++kb) {
          scale_ints(scale[kb], plan_.a_scale_min_exp, &s_.a_sint[(r * blocks_ + kb) * 3], 1);
        }
      }
    }
  }

  // B panel for columns [n0, n1) and the K panel of the last pack_a: tiles of 16 columns, tile byte (g, q, j, e) =
  // element 16g + 4q + e of column j, plus 12.
  void pack_b(int64_t n0, int64_t n1) {
    n0_ = n0;
    n1_ = n1;
    ntiles_ = (n1 - n0 + kNTile - 1) / kNTile;
    const int64_t stride = groups_ * kGroup;
    for (int64_t t = 0; t < ntiles_; ++t) {
      float* tile_scale = s_.b_scale.data() + t * blocks_ * kNTile;
      for (int j = 0; j < kNTile; ++j) {
        const int64_t n = n0 + t * kNTile + j;
        int8_t* row = s_.rows.data() + j * stride;
        if (n < n1) {
          unpack_row(b_, n, k0_, k1_, row, stride, 12);  // 0..24
          sb_.row(n, kb0_, blocks_, 0.25f, tile_scale + j, kNTile);
        } else {
          std::fill(row, row + stride, int8_t{12});
          for (int64_t kb = 0; kb < blocks_; ++kb) tile_scale[kb * kNTile + j] = 0.0f;
        }
        if (ints_) {
          for (int64_t kb = 0; kb < blocks_; ++kb) {
            scale_ints(n < n1 ? sb_.at(n, kb0_ + kb) : 0.0f, plan_.b_scale_min_exp,
                       &s_.b_sint[(t * blocks_ + kb) * 3 * kNTile + j], kNTile);
          }
        }
      }
      uint8_t* tile = s_.b.data() + t * groups_ * kTileBytes;
      for (int64_t g = 0; g < groups_; ++g) transpose_group(s_.rows.data() + g * kGroup, stride, tile + g * kTileBytes);
    }
  }

  PackedPanels panels(float* d) const {
    PackedPanels p;
    p.a = s_.a.data();
    p.a_row_bytes = groups_ * kGroup;
    p.a_corr = s_.a_corr.data();
    p.a_scale = s_.a_scale.data();
    p.a_row_blocks = blocks_;
    p.b = s_.b.data();
    p.b_scale = s_.b_scale.data();
    p.groups = groups_;
    p.blocks = blocks_;
    p.groups_per_block = plan_.chunk / kGroup;
    p.rows = rows_padded_;
    p.ntiles = ntiles_;
    p.d = d + n0_;
    p.ldd = plan_.n;
    p.valid_rows = plan_.m;
    p.valid_cols = n1_ - n0_;
    p.first_k_panel = k0_ == 0;
    p.a_gcorr = s_.a_gcorr.data();
    p.a_sint = s_.a_sint.data();
    p.b_sint = s_.b_sint.data();
    return p;
  }

 private:
  void set_k(int64_t k0, int64_t k1) {
    k0_ = k0;
    k1_ = k1;
    groups_ = (k1 - k0 + kGroup - 1) / kGroup;
    blocks_ = (k1 - k0 + plan_.chunk - 1) / plan_.chunk;
    kb0_ = k0 / plan_.chunk;
  }

  const QuantizedTensor& a_;
  const QuantizedTensor& b_;
  const GemmPlan& plan_;
  bool ints_;
  ScaleReader sa_, sb_;
  Scratch& s_ = scratch();
  int64_t rows_padded_ = 0;
  int64_t k0_ = 0, k1_ = 0, groups_ = 0, blocks_ = 0, kb0_ = 0;
  int64_t n0_ = 0, n1_ = 0, ntiles_ = 0;
};

// fixed:W:F: columns panel by panel, the int64 registers of a panel live in `state` (rows x kNPanel) across K.
void fixed_gemm(const GemmPlan& plan, const AccumPolicy& policy, Packer& packer, float* d, int64_t n_begin,
                int64_t n_end) {
  std::vector<int64_t> state(static_cast<size_t>(plan.m * kNPanel));
  for (int64_t n0 = n_begin; n0 < n_end; n0 += kNPanel) {
    const int64_t n1 = std::min(n_end, n0 + kNPanel);
    for (int64_t k0 = 0; k0 < plan.k; k0 += kKPanel) {
      packer.pack_a(k0, std::min(plan.k, k0 + kKPanel));
      packer.pack_b(n0, n1);
      PackedPanels p = packer.panels(d);
      p.acc = state.data();
      p.ld_acc = kNPanel;
      p.frac = policy.frac;
      p.acc_max = (int64_t{1} << (policy.width - 1)) - 1;
      p.acc_min = -(int64_t{1} << (policy.width - 1));
      fp4_panel_avx512_fixed(p);
    }
    for (int64_t m = 0; m < plan.m; ++m) {
      for (int64_t n = n0; n < n1; ++n) {
        d[m * plan.n + n] = FixedAccumulator::finish_raw(state[m * kNPanel + (n - n0)], policy.frac, false,
                                                         plan.tensor_scale);
      }
    }
  }
}

}  // namespace

void fp4_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan, const AccumPolicy& policy,
              float* d, int64_t n_begin, int64_t n_end, Fp4Kernel kernel) {
  if (!fp4_fast_path_applies(a, b, plan, policy)) throw Error("gemm: internal: fast E2M1 path used out of its range");
  const auto avail = available_fp4_kernels();
  if (std::find(avail.begin(), avail.end(), kernel) == avail.end()) {
    throw Error("gemm: kernel " + std::string(kernel_name(kernel)) + " is not supported by this CPU");
  }
  const bool blackwell = policy.kind == AccumPolicy::Kind::BlackwellMma;
  const bool fixed = policy.kind == AccumPolicy::Kind::Fixed;
  if ((blackwell || fixed) && kernel != Fp4Kernel::Avx512Vnni) {
    throw Error("gemm: internal: " + policy.name() + " has only an AVX-512 kernel");
  }
  Packer packer(a, b, plan, blackwell || fixed);
  if (fixed) {
    fixed_gemm(plan, policy, packer, d, n_begin, n_end);
    return;
  }
  void (*panel_fn)(const PackedPanels&) = nullptr;
  switch (kernel) {
    case Fp4Kernel::Scalar: panel_fn = fp4_panel_scalar; break;
    case Fp4Kernel::Avx2: panel_fn = fp4_panel_avx2; break;
    case Fp4Kernel::Avx512Vnni: panel_fn = blackwell ? fp4_panel_avx512_blackwell : fp4_panel_avx512vnni; break;
  }
  // Epilogue: D = fp32(acc * fp32(s_tA * s_tB)), NaN made the policy's canonical NaN; the fp32-seq kernels apply it
  // as they store the last K panel (one pass over D less), the others in the loop below.
  const uint32_t nan = blackwell ? kMmaSimNan : kCanonicalNan;
  const bool kernel_finishes = !blackwell && kernel != Fp4Kernel::Avx512Vnni;
  // fp32-seq and blackwell-mma keep their fp32 accumulators in D: K panels outside, so A is packed once per panel.
  for (int64_t k0 = 0; k0 < plan.k; k0 += kKPanel) {
    const int64_t k1 = std::min(plan.k, k0 + kKPanel);
    packer.pack_a(k0, k1);
    for (int64_t n0 = n_begin; n0 < n_end; n0 += kNPanel) {
      packer.pack_b(n0, std::min(n_end, n0 + kNPanel));
      PackedPanels p = packer.panels(d);
      p.last_k_panel = kernel_finishes && k1 == plan.k;
      p.tensor_scale = plan.tensor_scale;
      p.nan_bits = nan;
      panel_fn(p);
    }
  }
  if (kernel_finishes) return;
  const float ts = plan.tensor_scale;  // a local: D could alias the plan, which kept the loop from vectorizing
  for (int64_t m = 0; m < plan.m; ++m) {
    float* row = d + m * plan.n;
    for (int64_t n = n_begin; n < n_end; ++n) row[n] = canonical_nan_if(row[n] * ts, nan);
  }
}

}  // namespace nvfp4::gemm_detail
