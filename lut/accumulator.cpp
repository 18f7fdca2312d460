#include "lut/accumulator.hpp"

#include <bit>
#include <cmath>
#include <limits>

#include "numerics/error.hpp"

namespace nvfp4::lut {

__int128 floor_scaled(float x, int frac) {
  if (x == 0.0f) return 0;
  int ex = 0;
  const float f = std::frexp(x, &ex);                            // x = f * 2^ex, 0.5 <= |f| < 1
  const int64_t m = static_cast<int64_t>(std::ldexp(f, 24));     // exact: 24 significant bits
  const int sh = ex - 24 + frac;                                  // x * 2^frac = m * 2^sh
  const __int128 lim = static_cast<__int128>(1) << 126;
  if (sh >= 0) {
    if (sh > 100) return m < 0 ? -lim : lim;
    const __int128 v = static_cast<__int128>(m) << sh;
    return v > lim ? lim : (v < -lim ? -lim : v);
  }
  if (sh <= -64) return m < 0 ? -1 : 0;  // floor of a tiny value
  return static_cast<__int128>(m) >> (-sh);  // arithmetic shift = floor
}

Accumulator::Accumulator(const AccumPolicy& policy) : policy_(policy) {
  if (policy.kind == AccumPolicy::Kind::BlackwellMma)
    throw Error("accumulator policy 'blackwell-mma' is not a datapath of the dot-product engine "
                "(accepted: fp32-seq, fixed:W[:F])");
  if (policy.kind == AccumPolicy::Kind::Fixed &&
      (policy.width < 8 || policy.width > 64 || policy.frac < 0 || policy.frac >= policy.width))
    throw Error("accumulator policy '" + policy.name() + "': width must be 8..64 and frac 0..width-1");
}

void Accumulator::clear() {
  acc_f_ = 0.0f;
  acc_i_ = 0;
  nan_ = false;
  saturated_ = false;
}

void Accumulator::add(float term) {
  if (policy_.kind == AccumPolicy::Kind::Fp32Seq) {
    acc_f_ = acc_f_ + term;
    return;
  }
  if (std::isnan(term)) {
    nan_ = true;
    return;
  }
  const __int128 hi = (static_cast<__int128>(1) << (policy_.width - 1)) - 1, lo = -hi - 1;
  __int128 s = static_cast<__int128>(acc_i_) + (std::isinf(term) ? (term > 0 ? hi - lo : lo - hi)
                                                                  : floor_scaled(term, policy_.frac));
  if (s > hi || s < lo) saturated_ = true;
  s = s > hi ? hi : (s < lo ? lo : s);
  acc_i_ = static_cast<int64_t>(s);
}

float Accumulator::result(float tensor_scale_product) const {
  float d;
  if (policy_.kind == AccumPolicy::Kind::Fp32Seq) {
    d = acc_f_ * tensor_scale_product;
  } else if (nan_) {
    d = std::numeric_limits<float>::quiet_NaN();
  } else {
    d = std::ldexp(static_cast<float>(acc_i_), -policy_.frac) * tensor_scale_product;  // int64 -> fp32 is RNE
  }
  return std::isnan(d) ? std::bit_cast<float>(kCanonicalNanBits) : d;
}

void Accumulator::load_fixed(int64_t value) {
  if (policy_.kind != AccumPolicy::Kind::Fixed) throw Error("load_fixed: accumulator policy is " + policy_.name());
  const int64_t hi = static_cast<int64_t>((static_cast<__int128>(1) << (policy_.width - 1)) - 1), lo = -hi - 1;
  if (value > hi || value < lo) throw Error("load_fixed: value does not fit " + policy_.name());
  acc_i_ = value;
}

uint64_t Accumulator::register_bits() const {
  if (policy_.kind == AccumPolicy::Kind::Fp32Seq) return std::bit_cast<uint32_t>(acc_f_);
  return static_cast<uint64_t>(acc_i_);
}

}  // namespace nvfp4::lut
