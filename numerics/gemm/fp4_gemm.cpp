// Fast E2M1 x E2M1 driver: packs K panels of A (all rows) and of B (a column panel at a time) into the int8 tiles of
// PackedPanels, calls the selected kernel per panel, then applies the tensor scales. Scratch is bounded by
// (M + nc) x kc bytes plus per-block scales, independent of K.
#include "numerics/gemm/fp4_gemm.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/gemm/fp4_operand_reader.hpp"
#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/policy_blackwell_mma.hpp"
#include "numerics/gemm/policy_fp32_seq.hpp"

namespace nvfp4::gemm_detail {
namespace {

constexpr int64_t kKPanel = 512;   // reduction elements per packed panel (a multiple of every block size <= 256)
constexpr int64_t kNPanel = 256;   // columns of D per packed B panel

struct Scratch {
  std::vector<int8_t> a;
  std::vector<int32_t> a_corr;
  std::vector<float> a_scale;
  std::vector<uint8_t> b;
  std::vector<float> b_scale;
  std::vector<int8_t> row;
  std::vector<int32_t> a_gcorr, a_sint, b_sint;  // blackwell-mma only
};

// A block scale as the blackwell-mma kernel wants it: mantissa, exponent (value = mant * 2^exp2), MMA-Sim exponent.
void scale_ints(float s, int min_exp, int32_t* out, int64_t stride) {
  const ScaledInt d = decompose(s);
  out[0] = static_cast<int32_t>(d.mant);
  out[stride] = d.exp2;
  out[2 * stride] = mmasim_scale_exponent(s, min_exp);
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

}  // namespace

bool fp4_fast_path_applies(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                           const AccumPolicy& policy) {
  if (!plan.a_e2m1 || !plan.b_e2m1 || plan.chunk < kGroup) return false;
  if (policy.kind == AccumPolicy::Kind::Fp32Seq) return mx_scales_in_fast_range(a) && mx_scales_in_fast_range(b);
  if (policy.kind == AccumPolicy::Kind::BlackwellMma) {
    return blackwell_simd_supported() && blackwell_simd_operand(a) && blackwell_simd_operand(b);
  }
  return false;
}

void fp4_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan, const AccumPolicy& policy,
              float* d, int64_t n_begin, int64_t n_end, Fp4Kernel kernel) {
  if (!fp4_fast_path_applies(a, b, plan, policy)) throw Error("gemm: internal: fast E2M1 path used out of its range");
  const bool blackwell = policy.kind == AccumPolicy::Kind::BlackwellMma;
  void (*panel_fn)(const PackedPanels&) = nullptr;
  switch (kernel) {
    case Fp4Kernel::Scalar: panel_fn = fp4_panel_scalar; break;
    case Fp4Kernel::Avx2: panel_fn = fp4_panel_avx2; break;
    case Fp4Kernel::Avx512Vnni: panel_fn = fp4_panel_avx512vnni; break;
  }
  if (blackwell) {
    if (kernel != Fp4Kernel::Avx512Vnni) throw Error("gemm: internal: blackwell-mma has only an AVX-512 kernel");
    panel_fn = fp4_panel_avx512_blackwell;
  }
  const auto avail = available_fp4_kernels();
  if (std::find(avail.begin(), avail.end(), kernel) == avail.end()) {
    throw Error("gemm: kernel " + std::string(kernel_name(kernel)) + " is not supported by this CPU");
  }
  const int chunk = plan.chunk;
  const int64_t rows_padded = (plan.m + 3) / 4 * 4;
  const ScaleReader sa(a, chunk), sb(b, chunk);
  Scratch s;
  s.a.resize(static_cast<size_t>(rows_padded * kKPanel));
  s.a_corr.resize(static_cast<size_t>(rows_padded * (kKPanel / kGroup)));
  s.a_scale.resize(s.a_corr.size());
  s.b.resize(static_cast<size_t>(kNPanel * kKPanel));
  s.b_scale.resize(static_cast<size_t>(kNPanel * (kKPanel / kGroup)));
  s.row.resize(kKPanel);
  if (blackwell) {
    s.a_gcorr.resize(static_cast<size_t>(rows_padded * (kKPanel / kGroup)));
    s.a_sint.resize(3 * s.a_corr.size());
    s.b_sint.resize(3 * s.b_scale.size());
  }

  for (int64_t k0 = 0; k0 < plan.k; k0 += kKPanel) {
    const int64_t k1 = std::min(plan.k, k0 + kKPanel);
    const int64_t groups = (k1 - k0 + kGroup - 1) / kGroup;
    const int64_t blocks = (k1 - k0 + chunk - 1) / chunk;
    const int64_t kb0 = k0 / chunk;

    // ---- A panel: all rows, elements [k0, k1)
    for (int64_t r = 0; r < rows_padded; ++r) {
      int8_t* out = s.a.data() + r * groups * kGroup;
      if (r < plan.m) {
        unpack_row(a, r, k0, k1, out, groups * kGroup);
      } else {
        std::fill(out, out + groups * kGroup, int8_t{0});
      }
      for (int64_t kb = 0; kb < blocks; ++kb) {
        int32_t sum = 0;
        const int64_t e0 = kb * chunk, e1 = std::min(groups * kGroup, (kb + 1) * chunk);
        for (int64_t e = e0; e < e1; ++e) sum += out[e];
        s.a_corr[r * blocks + kb] = -12 * sum;
        s.a_scale[r * blocks + kb] = r < plan.m ? sa.at(r, kb0 + kb) : 0.0f;
        if (blackwell) scale_ints(s.a_scale[r * blocks + kb], plan.a_scale_min_exp, &s.a_sint[(r * blocks + kb) * 3], 1);
      }
      if (blackwell) {
        for (int64_t g = 0; g < groups; ++g) {
          int32_t sum = 0;
          for (int e = 0; e < kGroup; ++e) sum += out[g * kGroup + e];
          s.a_gcorr[r * groups + g] = -12 * sum;
        }
      }
    }

    for (int64_t n0 = n_begin; n0 < n_end; n0 += kNPanel) {
      const int64_t n1 = std::min(n_end, n0 + kNPanel);
      const int64_t ntiles = (n1 - n0 + kNTile - 1) / kNTile;
      // ---- B panel: tiles of 16 columns; tile byte (g, q, j, e) = element 16g + 4q + e of column j, plus 12
      for (int64_t t = 0; t < ntiles; ++t) {
        for (int j = 0; j < kNTile; ++j) {
          const int64_t n = n0 + t * kNTile + j;
          if (n < n1) {
            unpack_row(b, n, k0, k1, s.row.data(), groups * kGroup);
          } else {
            std::fill(s.row.begin(), s.row.begin() + groups * kGroup, int8_t{0});
          }
          uint8_t* tile = s.b.data() + t * groups * kTileBytes;
          for (int64_t g = 0; g < groups; ++g) {
            for (int q = 0; q < 4; ++q) {
              for (int e = 0; e < 4; ++e) {
                tile[g * kTileBytes + q * 64 + j * 4 + e] =
                    static_cast<uint8_t>(s.row[g * kGroup + q * 4 + e] + 12);
              }
            }
          }
          for (int64_t kb = 0; kb < blocks; ++kb) {
            const float scale = n < n1 ? sb.at(n, kb0 + kb) : 0.0f;
            s.b_scale[(t * blocks + kb) * kNTile + j] = scale * 0.25f;
            if (blackwell) scale_ints(scale, plan.b_scale_min_exp, &s.b_sint[(t * blocks + kb) * 3 * kNTile + j], kNTile);
          }
        }
      }
      PackedPanels p;
      p.a = s.a.data();
      p.a_row_bytes = groups * kGroup;
      p.a_corr = s.a_corr.data();
      p.a_scale = s.a_scale.data();
      p.a_row_blocks = blocks;
      p.b = s.b.data();
      p.b_scale = s.b_scale.data();
      p.groups = groups;
      p.blocks = blocks;
      p.groups_per_block = chunk / kGroup;
      p.rows = rows_padded;
      p.ntiles = ntiles;
      p.d = d + n0;
      p.ldd = plan.n;
      p.valid_rows = plan.m;
      p.valid_cols = n1 - n0;
      p.first_k_panel = k0 == 0;
      p.a_gcorr = s.a_gcorr.data();
      p.a_sint = s.a_sint.data();
      p.b_sint = s.b_sint.data();
      panel_fn(p);
    }
  }
  // Epilogue of both policies: D = fp32(acc * fp32(s_tA * s_tB)), NaN made the policy's canonical NaN.
  const uint32_t nan = blackwell ? kMmaSimNan : kCanonicalNan;
  for (int64_t m = 0; m < plan.m; ++m) {
    for (int64_t n = n_begin; n < n_end; ++n) {
      float& v = d[m * plan.n + n];
      v = canonical_nan_if(v * plan.tensor_scale, nan);
    }
  }
}

}  // namespace nvfp4::gemm_detail
