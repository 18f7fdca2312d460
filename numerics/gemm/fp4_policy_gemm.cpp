// Integer driver of fixed:W:F and blackwell-mma for E2M1 x E2M1 operands: rows are unpacked to int8 once per panel,
// block scales to (mantissa, exponent) once per row, and each term is handed to the same accumulator classes the
// general path uses, as exact integers instead of through floats. Same bits as the general path (tested).
#include <cmath>
#include <vector>

#include "numerics/ceil_div.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/gemm/fp4_operand_reader.hpp"
#include "numerics/gemm/policy_blackwell_mma.hpp"
#include "numerics/gemm/policy_fixed.hpp"

namespace nvfp4::gemm_detail {
namespace {

constexpr int64_t kPanelRows = 64;  // B rows unpacked at a time: scratch 64 x K bytes

// A block scale as an exact integer: value = mant * 2^exp2; mma_exp is MMA-Sim's exponent of the scale.
struct ScaleInt {
  uint32_t mant = 1;
  int exp2 = 0;
  int mma_exp = 0;
  bool nan = false;
};

struct RowInts {
  std::vector<int8_t> q;       // 2 x E2M1 value per element, zero padded
  std::vector<ScaleInt> scale; // one per term block
};

ScaleInt scale_int(float s, int min_exp) {
  ScaleInt r;
  if (std::isnan(s)) {
    r.nan = true;
    return r;
  }
  const ScaledInt d = decompose(s);
  r.mant = d.mant;
  r.exp2 = d.exp2;
  r.mma_exp = mmasim_scale_exponent(s, min_exp);
  return r;
}

void read_row(const QuantizedTensor& t, const ScaleReader& reader, int min_exp, const GemmPlan& p, int64_t padded,
              int64_t r, RowInts& out) {
  out.q.resize(static_cast<size_t>(padded));
  unpack_row(t, r, 0, p.k, out.q.data(), padded);
  const int64_t blocks = ceil_div(p.k, int64_t{p.chunk});
  out.scale.resize(static_cast<size_t>(blocks));
  for (int64_t kb = 0; kb < blocks; ++kb) out.scale[kb] = scale_int(reader.at(r, kb), min_exp);
}

// Exact sum of 2 x qa * 2 x qb over [i0, i1): the block sum in quarter units.
inline int32_t quarter_sum(const int8_t* qa, const int8_t* qb, int64_t i0, int64_t i1) {
  int32_t s = 0;
  for (int64_t i = i0; i < i1; ++i) s += qa[i] * qb[i];
  return s;
}

// The exact term sum/4 * sa * sb as an ExactTerm with mag < 2^24 (|sum| <= 36864, mantissas <= 15 or 1).
inline ExactTerm int_term(int32_t quarter, const ScaleInt& sa, const ScaleInt& sb) {
  ExactTerm t;
  const int64_t p = static_cast<int64_t>(quarter) * sa.mant * sb.mant;
  t.neg = p < 0;
  t.mag = static_cast<u128>(p < 0 ? -p : p);
  t.exp2 = sa.exp2 + sb.exp2 - 2;
  t.scale_exp = sa.mma_exp + sb.mma_exp;
  return t;
}

float dot_fixed(const RowInts& ra, const RowInts& rb, const GemmPlan& p, const AccumPolicy& policy) {
  FixedAccumulator acc(policy.width, policy.frac);
  const int64_t blocks = static_cast<int64_t>(ra.scale.size());
  for (int64_t kb = 0; kb < blocks; ++kb) {
    const ScaleInt& sa = ra.scale[kb];
    const ScaleInt& sb = rb.scale[kb];
    if (sa.nan || sb.nan) {
      acc.add(ExactTerm::special(std::nanf("")));
      continue;
    }
    const int32_t q = quarter_sum(ra.q.data(), rb.q.data(), kb * p.chunk, (kb + 1) * p.chunk);
    const int64_t prod = static_cast<int64_t>(q) * sa.mant * sb.mant;
    acc.add_exact(prod < 0, static_cast<uint64_t>(prod < 0 ? -prod : prod), sa.exp2 + sb.exp2 - 2);
  }
  return acc.finish(p.tensor_scale);
}

float dot_blackwell(const RowInts& ra, const RowInts& rb, const GemmPlan& p) {
  BlackwellMmaAccumulator acc;
  const int64_t group = std::min<int64_t>(p.chunk, kMmaGroup);
  for (int64_t c0 = 0; c0 < p.k; c0 += kMmaChunk) {
    const int64_t c1 = std::min(p.k, c0 + kMmaChunk);
    for (int64_t g0 = c0; g0 < c1; g0 += group) {
      const ScaleInt& sa = ra.scale[g0 / p.chunk];
      const ScaleInt& sb = rb.scale[g0 / p.chunk];
      if (sa.nan || sb.nan) {
        acc.add_group(ExactTerm::special(std::nanf("")));
        continue;
      }
      acc.add_group(int_term(quarter_sum(ra.q.data(), rb.q.data(), g0, g0 + group), sa, sb));
    }
    acc.end_chunk();
  }
  return acc.finish(p.tensor_scale);
}

}  // namespace

bool fp4_policy_path_applies(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                             const AccumPolicy& policy) {
  return policy.kind != AccumPolicy::Kind::Fp32Seq && plan.a_e2m1 && plan.b_e2m1 && mx_scales_in_fast_range(a) &&
         mx_scales_in_fast_range(b);
}

void fp4_policy_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                     const AccumPolicy& policy, float* d, int64_t n_begin, int64_t n_end) {
  if (!fp4_policy_path_applies(a, b, plan, policy)) throw Error("gemm: internal: integer policy path out of range");
  // Rows padded to whole blocks and whole 64-element chunks, so sums may run over the padding (zeros).
  const int64_t step = std::max<int64_t>(plan.chunk, kMmaChunk);
  const int64_t padded = ceil_div(plan.k, int64_t{step}) * step;
  const ScaleReader sa(a, plan.chunk), sb(b, plan.chunk);
  std::vector<RowInts> panel(kPanelRows);
  RowInts ra;
  for (int64_t n0 = n_begin; n0 < n_end; n0 += kPanelRows) {
    const int64_t n1 = std::min(n_end, n0 + kPanelRows);
    for (int64_t n = n0; n < n1; ++n) read_row(b, sb, plan.b_scale_min_exp, plan, padded, n, panel[n - n0]);
    for (int64_t m = 0; m < plan.m; ++m) {
      read_row(a, sa, plan.a_scale_min_exp, plan, padded, m, ra);
      for (int64_t n = n0; n < n1; ++n) {
        const RowInts& rb = panel[n - n0];
        d[m * plan.n + n] = policy.kind == AccumPolicy::Kind::Fixed ? dot_fixed(ra, rb, plan, policy)
                                                                    : dot_blackwell(ra, rb, plan);
      }
    }
  }
}

}  // namespace nvfp4::gemm_detail
