// General golden GEMM path. Per output: decode the elements into exact integers (value = int * 2^unit_exp), sum each
// block exactly in 64-bit integers, form the exact term sa * sb * sum, and hand the terms in order to the policy.
#include "numerics/gemm/gemm_generic.hpp"

#include <cmath>
#include <vector>

#include "numerics/ceil_div.hpp"
#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/policy_blackwell_mma.hpp"
#include "numerics/gemm/policy_fixed.hpp"
#include "numerics/gemm/policy_fp32_seq.hpp"

namespace nvfp4::gemm_detail {
namespace {

constexpr int64_t kPanelRows = 32;  // rows of B decoded at a time: scratch = 32 x K x 9 bytes

// One decoded row: exact integer elements, a flag per element that is NaN/Inf, and the block scales.
struct DecodedRow {
  std::vector<int64_t> units;
  std::vector<uint8_t> nonfinite;
  std::vector<float> scales;  // one per term block (chunk) along K
};

void decode_row(const QuantizedTensor& t, bool e2m1, int unit_exp, int64_t r, int chunk, DecodedRow& out) {
  const int64_t k = t.cols;
  out.units.resize(k);
  out.nonfinite.assign(k, 0);
  for (int64_t c = 0; c < k; ++c) {
    if (e2m1) {
      out.units[c] = e2m1_to_half_units(t.code(r, c));
      continue;
    }
    const float v = t.value(r, c);
    if (!std::isfinite(v)) {
      out.units[c] = 0;
      out.nonfinite[c] = 1;
      continue;
    }
    const double scaled = std::ldexp(static_cast<double>(v), -unit_exp);
    if (scaled != std::floor(scaled)) {
      throw Error("gemm: internal: element (" + std::to_string(r) + ", " + std::to_string(c) + ") of a " +
                  std::string(to_string(t.spec.scheme)) + " tensor decodes to " + std::to_string(v) +
                  ", not a multiple of 2^" + std::to_string(unit_exp));
    }
    out.units[c] = static_cast<int64_t>(scaled);
  }
  const int64_t blocks = ceil_div(k, int64_t{chunk});
  out.scales.resize(blocks);
  const bool scaled = has_block_scale(t.spec.scheme);
  for (int64_t kb = 0; kb < blocks; ++kb) {
    // The scale of the block holding element kb*chunk: the tensor's own block index may differ when the tensor is
    // unscaled (chunk comes from the other operand).
    out.scales[kb] = scaled ? t.scale(r, kb * chunk / t.spec.block) : 1.0f;
  }
}

struct RowPair {
  const QuantizedTensor& a;
  const QuantizedTensor& b;
  const GemmPlan& p;
  const DecodedRow& ra;
  const DecodedRow& rb;
  int64_t m, n;

  // Exact term of elements [begin, end) using the scales of term block kb.
  ExactTerm term(int64_t begin, int64_t end, int64_t kb) const {
    const float sa = ra.scales[kb];
    const float sb = rb.scales[kb];
    bool special = !std::isfinite(sa) || !std::isfinite(sb);
    int64_t s = 0;
    for (int64_t i = begin; i < end; ++i) {
      special = special || rb.nonfinite[i];
      s += ra.units[i] * rb.units[i];
    }
    if (special) {
      // Only NaN/Inf scales or elements reach here: IEEE semantics of the same sum of products, evaluated in double
      // (finite parts cannot overflow there), give NaN or +-Inf.
      double sum = 0.0;
      for (int64_t i = begin; i < end; ++i) sum += double{a.value(m, i)} * double{b.value(n, i)};
      return ExactTerm::special(static_cast<float>(double{sa} * double{sb} * sum));
    }
    ExactTerm t = ExactTerm::product(s, p.a_unit_exp + p.b_unit_exp, sa, sb);
    t.scale_exp = mmasim_scale_exponent(sa, p.a_scale_min_exp) + mmasim_scale_exponent(sb, p.b_scale_min_exp);
    return t;
  }
};

float dot_fp32_seq(const RowPair& rp) {
  Fp32SeqAccumulator acc;
  const int64_t blocks = ceil_div(rp.p.k, int64_t{rp.p.chunk});
  for (int64_t kb = 0; kb < blocks; ++kb) {
    acc.add(rp.term(kb * rp.p.chunk, std::min(rp.p.k, (kb + 1) * rp.p.chunk), kb));
  }
  return acc.finish(rp.p.tensor_scale);
}

float dot_fixed(const RowPair& rp, const AccumPolicy& policy) {
  FixedAccumulator acc(policy.width, policy.frac);
  const int64_t blocks = ceil_div(rp.p.k, int64_t{rp.p.chunk});
  for (int64_t kb = 0; kb < blocks; ++kb) {
    acc.add(rp.term(kb * rp.p.chunk, std::min(rp.p.k, (kb + 1) * rp.p.chunk), kb));
  }
  return acc.finish(rp.p.tensor_scale);
}

float dot_blackwell(const RowPair& rp) {
  BlackwellMmaAccumulator acc;
  const int64_t group = std::min<int64_t>(rp.p.chunk, kMmaGroup);
  for (int64_t c0 = 0; c0 < rp.p.k; c0 += kMmaChunk) {
    const int64_t c1 = std::min(rp.p.k, c0 + kMmaChunk);
    for (int64_t g0 = c0; g0 < c1; g0 += group) {
      acc.add_group(rp.term(g0, std::min(c1, g0 + group), g0 / rp.p.chunk));
    }
    acc.end_chunk();
  }
  return acc.finish(rp.p.tensor_scale);
}

}  // namespace

void gemm_generic(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& p, const AccumPolicy& policy,
                  float* d, int64_t n_begin, int64_t n_end) {
  std::vector<DecodedRow> panel(kPanelRows);
  DecodedRow ra;
  for (int64_t n0 = n_begin; n0 < n_end; n0 += kPanelRows) {
    const int64_t n1 = std::min(n_end, n0 + kPanelRows);
    for (int64_t n = n0; n < n1; ++n) decode_row(b, p.b_e2m1, p.b_unit_exp, n, p.chunk, panel[n - n0]);
    for (int64_t m = 0; m < p.m; ++m) {
      decode_row(a, p.a_e2m1, p.a_unit_exp, m, p.chunk, ra);
      for (int64_t n = n0; n < n1; ++n) {
        const RowPair rp{a, b, p, ra, panel[n - n0], m, n};
        float v = 0.0f;
        switch (policy.kind) {
          case AccumPolicy::Kind::Fp32Seq: v = dot_fp32_seq(rp); break;
          case AccumPolicy::Kind::Fixed: v = dot_fixed(rp, policy); break;
          case AccumPolicy::Kind::BlackwellMma: v = dot_blackwell(rp); break;
        }
        d[m * p.n + n] = v;
      }
    }
  }
}

}  // namespace nvfp4::gemm_detail
