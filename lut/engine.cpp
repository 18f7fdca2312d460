#include "lut/engine.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "lut/multiplier_styles.hpp"
#include "lut/mutation.hpp"
#include "lut/scale_unit.hpp"
#include "numerics/ceil_div.hpp"
#include "numerics/formats.hpp"
#include "numerics/error.hpp"

namespace nvfp4::lut {

void EngineConfig::validate() const {
  if (lanes < 1 || lanes > 64 || !std::has_single_bit(static_cast<unsigned>(lanes)))
    throw Error("lanes: " + std::to_string(lanes) + " cannot feed the binary adder tree (a power of two, 1..64)");
  make_multiplier(style, weight);  // throws naming the style / weight format
  Accumulator check(accum);        // throws naming the policy
}

DotEngine::DotEngine(const EngineConfig& cfg) : cfg_(cfg), mul_(nullptr), acc_(cfg.accum) {
  cfg_.validate();
  std::unique_ptr<LaneMultiplier> mul;
  if (cfg_.table) {
    const StyleChoice s = parse_multiplier_style(cfg_.style, cfg_.weight);
    if (!s.style->make_stored) throw Error("multiplier style '" + s.name() + "' has no table to read from storage");
    if (static_cast<int64_t>(cfg_.table->size()) != static_cast<int64_t>(s.style->table(cfg_.weight, s.param).entries.size()))
      throw Error("stored table of '" + s.name() + "': wrong number of entries");
    mul = s.style->make_stored(cfg_.weight, s.param, *cfg_.table);
  } else {
    mul = make_multiplier(cfg_.style, cfg_.weight);
  }
  mul_ = apply_test_mutation(std::move(mul));  // unchanged unless a test asks
}

float round_to_fp32(bool negative, uint64_t mag, int exp2) {
  if (mag == 0) return 0.0f;
  const int p = 63 - std::countl_zero(mag);  // msb position
  const int e = p + exp2;                      // value in [2^e, 2^(e+1))
  const int q = std::max(e - 23, -149);        // exponent of the result's LSB (normal or subnormal)
  const int shift = q - exp2;
  uint64_t r;
  if (shift <= 0) {
    r = mag << (-shift);  // exact: fewer than 24 bits
  } else {
    const unsigned __int128 m = mag;
    const int s = shift > 120 ? 120 : shift;
    const unsigned __int128 kept = m >> s, rem = m - (kept << s), half = static_cast<unsigned __int128>(1) << (s - 1);
    r = static_cast<uint64_t>(kept);
    if (rem > half || (rem == half && (r & 1u))) ++r;
  }
  const float v = std::ldexp(static_cast<float>(r), q);  // r <= 2^24: exact; overflow gives Inf as IEEE
  return negative ? -v : v;
}

int64_t DotEngine::block_sum(const uint8_t* a, const uint16_t* w, int n, bool* special) {
  int64_t sum = 0;
  bool sp = false;
  uint64_t zeros = 0;
  for (int i = 0; i < n; ++i) {
    const LaneProduct p = mul_->multiply(a[i], w[i]);
    sum += p.fixed;
    sp = sp || p.special;
    zeros += (p.fixed == 0 && !p.special);
  }
  actions_.lane_multiplies += static_cast<uint64_t>(n);
  actions_.zero_operand_multiplies += zeros;
  actions_.table_lookups += static_cast<uint64_t>(n) * static_cast<uint64_t>(mul_->table_lookups_per_product());
  *special = sp;
  return sum;
}

float DotEngine::block_term(int64_t sum, bool special, uint8_t sa, uint8_t sb) {
  const ScaleProduct s = scale_multiply(sa, sb);
  ++actions_.scale_unit_ops;
  if (special || s.nan) return std::bit_cast<float>(kCanonicalNanBits);  // callers with the codes: special_block_term
  const uint64_t mag = static_cast<uint64_t>(sum < 0 ? -sum : sum) * s.prod;
  return round_to_fp32(sum < 0, mag, s.exp_sum - kScaleExpOffset - product_frac_bits(cfg_.weight));
}

float DotEngine::special_block_term(const uint8_t* a, const uint16_t* w, int n, uint8_t sa, uint8_t sb) {
  ++actions_.scale_unit_ops;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const float wv = cfg_.weight == WeightFormat::E2M1   ? e2m1_to_float(static_cast<uint8_t>(w[i]))
                     : cfg_.weight == WeightFormat::E4M3 ? e4m3_to_float(static_cast<uint8_t>(w[i]))
                                                         : fp16_to_float(w[i]);
    sum += double{e2m1_to_float(a[i])} * double{wv};
  }
  const float t = static_cast<float>(double{ue4m3_to_float(sa)} * double{ue4m3_to_float(sb)} * sum);
  return std::isnan(t) ? std::bit_cast<float>(kCanonicalNanBits) : t;
}

WeightFormat element_format_of(const QuantizedTensor& t, const char* what) {
  switch (t.spec.scheme) {
    case Scheme::NVFP4:
    case Scheme::FP4:
    case Scheme::FP4Tensor: return WeightFormat::E2M1;
    case Scheme::FP8: return WeightFormat::E4M3;
    case Scheme::FP16: return WeightFormat::FP16;
    case Scheme::MXFP4:
      throw Error(std::string(what) + ": scheme mxfp4 has a UE8M0 block scale; the engine's scale unit is UE4M3 x UE4M3");
    case Scheme::INT4: throw Error(std::string(what) + ": scheme int4 has no lane multiplier in this engine");
  }
  throw Error(std::string(what) + ": invalid scheme");
}

uint8_t block_scale_code(const QuantizedTensor& t, int64_t r, int64_t k) {
  if (t.spec.scheme != Scheme::NVFP4) return kUnitScaleCode;
  return static_cast<uint8_t>(t.scale_code(r, k));
}

namespace {

int block_size_of(const QuantizedTensor& a, const QuantizedTensor& b, int lanes) {
  const bool sa = has_block_scale(a.spec.scheme), sb = has_block_scale(b.spec.scheme);
  if (sa && sb && a.spec.block != b.spec.block)
    throw Error("block size: tensor a has " + std::to_string(a.spec.block) + ", tensor b has " +
                std::to_string(b.spec.block));
  const int blk = sa ? a.spec.block : (sb ? b.spec.block : 16);  // numerics::gemm's term size without block scales
  if (blk % lanes != 0 && lanes % blk != 0)
    throw Error("lanes: " + std::to_string(lanes) + " lanes cannot stream blocks of " + std::to_string(blk) +
                " (one must divide the other)");
  return blk;
}

}  // namespace

// Block kb of `len` elements through the lanes: with B >= L it takes ceil(len / L) beats of the whole tree (zero
// padded lanes included) and adds each beat after the first into the partial sum; with L > B it uses one sub-tree of
// B lanes in the beat it shares with the next L / B - 1 blocks.
void DotEngine::count_beats_and_adds(int64_t kb, int len, int blk) {
  const int L = cfg_.lanes;
  if (blk >= L) {
    const uint64_t beats = static_cast<uint64_t>(ceil_div(len, int64_t{L}));
    actions_.beats += beats;
    actions_.adder_tree_adds += beats * static_cast<uint64_t>(L - 1) + (beats - 1);
  } else {
    actions_.beats += (kb % (L / blk) == 0);  // the first block of a beat starts it
    actions_.adder_tree_adds += static_cast<uint64_t>(blk - 1);
  }
}

float DotEngine::dot(const QuantizedTensor& a, int64_t m, const QuantizedTensor& b, int64_t n) {
  if (element_format_of(a, "tensor a") != WeightFormat::E2M1)
    throw Error("tensor a: activations must be E2M1 (nvfp4, fp4 or fp4-tensor), got " +
                std::string(to_string(a.spec.scheme)));
  if (element_format_of(b, "tensor b") != cfg_.weight)
    throw Error("tensor b: scheme " + std::string(to_string(b.spec.scheme)) + " does not match the engine's weight format " +
                std::string(to_string(cfg_.weight)));
  if (a.cols != b.cols)
    throw Error("K: tensor a has " + std::to_string(a.cols) + " columns, tensor b has " + std::to_string(b.cols));
  if (m < 0 || m >= a.rows || n < 0 || n >= b.rows) throw Error("dot: row index out of range");
  const int blk = block_size_of(a, b, cfg_.lanes);
  const int64_t nblocks = ceil_div(a.cols, int64_t{blk});
  const bool w16 = cfg_.weight == WeightFormat::FP16;

  std::vector<uint8_t> ac(static_cast<size_t>(blk));
  std::vector<uint16_t> wc(static_cast<size_t>(blk));
  acc_.clear();
  uint64_t sats = 0;
  for (int64_t kb = 0; kb < nblocks; ++kb) {
    const int64_t k0 = kb * blk;
    const int len = static_cast<int>(std::min<int64_t>(blk, a.cols - k0));
    for (int i = 0; i < len; ++i) {
      ac[i] = a.code(m, k0 + i);
      wc[i] = w16 ? b.code16(n, k0 + i) : b.code(n, k0 + i);
    }
    bool special = false;
    const int64_t sum = block_sum(ac.data(), wc.data(), len, &special);
    const uint8_t sa = block_scale_code(a, m, kb), sb = block_scale_code(b, n, kb);
    const float term = (special || scale_multiply(sa, sb).nan) ? special_block_term(ac.data(), wc.data(), len, sa, sb)
                                                               : block_term(sum, special, sa, sb);
    const bool was_sat = acc_.saturated();
    acc_.add(term);
    sats += (!was_sat && acc_.saturated());
    ++actions_.accumulator_updates;
    count_beats_and_adds(kb, len, blk);
  }
  actions_.fixed_saturations += sats;
  return acc_.result(a.tensor_scale * b.tensor_scale);
}

std::vector<float> DotEngine::gemm(const QuantizedTensor& a, const QuantizedTensor& b) {
  std::vector<float> d(static_cast<size_t>(a.rows * b.rows));
  for (int64_t m = 0; m < a.rows; ++m)
    for (int64_t n = 0; n < b.rows; ++n) d[static_cast<size_t>(m * b.rows + n)] = dot(a, m, b, n);
  return d;
}

}  // namespace nvfp4::lut
