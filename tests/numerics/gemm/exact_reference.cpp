// Exact-arithmetic reference of NVFP4_SPEC.md section 5 (see exact_reference.hpp).
#include "exact_reference.hpp"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace nvfp4::test {
namespace {

using Int = boost::multiprecision::cpp_int;
using Rational = boost::multiprecision::cpp_rational;

Rational pow2(int e) {
  Int one = 1;
  return e >= 0 ? Rational(Int(one << e)) : Rational(Int(1), Int(one << -e));
}

Rational exact(float f) {
  if (!std::isfinite(f)) throw std::logic_error("exact() of a non-finite value");
  int e = 0;
  const double m = std::frexp(static_cast<double>(f), &e);  // f = m * 2^e, 0.5 <= |m| < 1
  const auto mi = static_cast<long long>(std::ldexp(m, 53)); // exact: a float has 24 bits
  return Rational(Int(mi)) * pow2(e - 53);
}

// floor(log2 |x|) for x != 0, by exact comparison with powers of two.
int floor_log2(const Rational& x) {
  const Rational a = abs(x);
  int e = static_cast<int>(msb(numerator(a))) - static_cast<int>(msb(denominator(a)));
  while (pow2(e) > a) --e;
  while (pow2(e + 1) <= a) ++e;
  return e;
}

// Integer part toward zero (cpp_int division truncates toward zero), and floor.
Int trunc_int(const Rational& x) { return numerator(x) / denominator(x); }
Int floor_int(const Rational& x) {
  Int t = trunc_int(x);
  if (Rational(t) > x) t -= 1;
  return t;
}

// Round x to fp32 by definition: the grid of the binade (or the subnormal grid), then ties-to-even or toward zero.
// Zero results carry `zero_negative`. Results of magnitude 2^128 or more are +-Inf.
float to_fp32(const Rational& x, RefRound mode, bool zero_negative = false) {
  if (x == 0) return zero_negative ? -0.0f : 0.0f;
  const bool neg = x < 0;
  const Rational a = abs(x);
  const int e = floor_log2(a);
  const int lsb = std::max(e, -126) - 23;
  const Rational q = a / pow2(lsb);
  Int n = trunc_int(q);
  if (mode == RefRound::NearestEven) {
    const Rational frac = q - Rational(n);
    if (frac > Rational(1, 2) || (frac == Rational(1, 2) && (n & 1) != 0)) n += 1;
  }
  const Rational r = Rational(n) * pow2(lsb);
  if (r >= pow2(128)) return neg ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
  const float f = std::ldexp(static_cast<float>(static_cast<long long>(n)), lsb);
  if (n == 0) return neg ? -0.0f : 0.0f;
  return neg ? -f : f;
}

float nan_bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// IEEE rules for fp32 add and multiply, written out: exact result rounded once; signed zeros as IEEE 754 says.
float ieee_add(float x, float y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return x + y;  // Inf/NaN: the hardware's own rules
  const Rational s = exact(x) + exact(y);
  if (s == 0) return (std::signbit(x) && std::signbit(y)) ? -0.0f : 0.0f;
  return to_fp32(s, RefRound::NearestEven);
}
float ieee_mul(float x, float y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return x * y;
  return to_fp32(exact(x) * exact(y), RefRound::NearestEven, std::signbit(x) != std::signbit(y));
}

bool block_scaled(const QuantizedTensor& t) {
  return t.spec.scheme == Scheme::NVFP4 || t.spec.scheme == Scheme::MXFP4 || t.spec.scheme == Scheme::INT4;
}

// The reduction is cut at the block of the block-scaled operand(s), 16 when neither has block scales.
int term_length(const QuantizedTensor& a, const QuantizedTensor& b) {
  if (block_scaled(a)) return a.spec.block;
  if (block_scaled(b)) return b.spec.block;
  return 16;
}

float scale_of(const QuantizedTensor& t, int64_t r, int64_t element) {
  return block_scaled(t) ? t.scale(r, element / t.spec.block) : 1.0f;
}

// Exponent of a block scale as MMA-Sim defines it, computed here from the raw scale CODE (not from its value):
// UE4M3 exponent field - 7, subnormals at -6, zero at -126; UE8M0 code - 127; unscaled operands 0.
int scale_exponent_from_code(const QuantizedTensor& t, int64_t r, int64_t element) {
  if (!block_scaled(t)) return 0;
  const uint32_t code = t.scale_code(r, element / t.spec.block);
  if (t.spec.scheme == Scheme::MXFP4) return static_cast<int>(code) - 127;
  const int field = (code >> 3) & 0xF;
  if ((code & 0x7F) == 0) return -126;
  return field == 0 ? -6 : field - 7;
}

// Exact term over elements [i0, i1) with the scales of element i0, or the IEEE result when something is NaN/Inf.
struct Term {
  bool finite = true;
  float special = 0.0f;
  Rational value;
};

Term term(const QuantizedTensor& a, const QuantizedTensor& b, int64_t m, int64_t n, int64_t i0, int64_t i1) {
  const float sa = scale_of(a, m, i0), sb = scale_of(b, n, i0);
  bool finite = std::isfinite(sa) && std::isfinite(sb);
  for (int64_t i = i0; i < i1; ++i) finite = finite && std::isfinite(a.value(m, i)) && std::isfinite(b.value(n, i));
  Term t;
  if (!finite) {
    double sum = 0.0;
    for (int64_t i = i0; i < i1; ++i) sum += double{a.value(m, i)} * double{b.value(n, i)};
    t.finite = false;
    t.special = static_cast<float>(double{sa} * double{sb} * sum);
    return t;
  }
  Rational sum = 0;
  for (int64_t i = i0; i < i1; ++i) sum += exact(a.value(m, i)) * exact(b.value(n, i));
  t.value = exact(sa) * exact(sb) * sum;
  return t;
}

float term_fp32(const Term& t) { return t.finite ? to_fp32(t.value, RefRound::NearestEven) : t.special; }

float canonical(float d, uint32_t nan) { return std::isnan(d) ? nan_bits(nan) : d; }

float dot_fp32_seq(const QuantizedTensor& a, const QuantizedTensor& b, int64_t m, int64_t n, float st) {
  const int64_t k = a.cols, len = term_length(a, b);
  float acc = 0.0f;
  for (int64_t i0 = 0; i0 < k; i0 += len) acc = ieee_add(acc, term_fp32(term(a, b, m, n, i0, std::min(k, i0 + len))));
  return canonical(ieee_mul(acc, st), 0x7FC00000u);
}

float dot_fixed(const QuantizedTensor& a, const QuantizedTensor& b, int64_t m, int64_t n, float st, int w, int f) {
  const int64_t k = a.cols, len = term_length(a, b);
  const Int hi = (Int(1) << (w - 1)) - 1, lo = -(Int(1) << (w - 1));
  Int acc = 0;
  for (int64_t i0 = 0; i0 < k; i0 += len) {
    const float t = term_fp32(term(a, b, m, n, i0, std::min(k, i0 + len)));
    if (std::isnan(t)) return nan_bits(0x7FC00000u);
    const Int add = std::isinf(t) ? (t > 0 ? Int(1) << (w + 1) : -(Int(1) << (w + 1)))
                                  : floor_int(exact(t) * pow2(f));
    acc += add;
    if (acc > hi) acc = hi;
    if (acc < lo) acc = lo;
  }
  const float v = to_fp32(Rational(acc) * pow2(-f), RefRound::NearestEven);
  return canonical(ieee_mul(v, st), 0x7FC00000u);
}

float dot_blackwell(const QuantizedTensor& a, const QuantizedTensor& b, int64_t m, int64_t n, float st) {
  const int64_t k = a.cols;
  const int64_t group = std::min<int64_t>(term_length(a, b), 16);
  float c = 0.0f;
  for (int64_t c0 = 0; c0 < k; c0 += 64) {
    std::vector<Rational> values;
    std::vector<int> exps;
    // C: value and exponent (floor(log2|C|), at least -126; -126 for zero), as MMA-Sim's extract_significand_exponent
    values.push_back(exact(c));
    exps.push_back(c == 0.0f ? -126 : std::max(floor_log2(exact(c)), -126));
    for (int64_t g0 = c0; g0 < std::min(k, c0 + 64); g0 += group) {
      const Term t = term(a, b, m, n, g0, std::min({k, c0 + 64, g0 + group}));
      if (!t.finite) return nan_bits(0x7FFFFFFFu);
      values.push_back(t.value);
      exps.push_back(scale_exponent_from_code(a, m, g0) + scale_exponent_from_code(b, n, g0));
    }
    const int emax = *std::max_element(exps.begin(), exps.end());
    Int sum = 0;
    for (const Rational& v : values) sum += trunc_int(v * pow2(35 - emax));
    c = to_fp32(Rational(sum) * pow2(emax - 35), RefRound::TowardZero);
    if (c == 0.0f) c = 0.0f;  // MMA-Sim rounds through an integer: every zero is +0
    if (std::isinf(c)) break;
  }
  return canonical(ieee_mul(c, st), 0x7FFFFFFFu);
}

}  // namespace

std::vector<float> reference_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy) {
  const float st = a.tensor_scale * b.tensor_scale;
  std::vector<float> d(static_cast<size_t>(a.rows * b.rows));
  for (int64_t m = 0; m < a.rows; ++m) {
    for (int64_t n = 0; n < b.rows; ++n) {
      float v = 0.0f;
      switch (policy.kind) {
        case AccumPolicy::Kind::Fp32Seq: v = dot_fp32_seq(a, b, m, n, st); break;
        case AccumPolicy::Kind::Fixed: v = dot_fixed(a, b, m, n, st, policy.width, policy.frac); break;
        case AccumPolicy::Kind::BlackwellMma: v = dot_blackwell(a, b, m, n, st); break;
      }
      d[m * b.rows + n] = v;
    }
  }
  return d;
}

}  // namespace nvfp4::test
