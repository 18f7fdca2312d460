// The seeded tensor generators of workloads (numerics/workload.hpp, docs/workloads.md): one definition for every tool.
// The stream is kLanes independent xoshiro256** lanes, element i taking one draw of lane i mod kLanes, plus one
// rejection stream for the ziggurat's further draws (in element order), so that an AVX2 kernel runs eight lanes in two
// registers; fill_portable is the definition, and the AVX2 path does the same double operations in the same order
// (-ffp-contract=off everywhere: no fused multiply-add on either path).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "numerics/quant/simd_clones.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::workload {
namespace {

constexpr int kLanes = GeneratorStream::kLanes;
using LaneWords = uint64_t[4][kLanes];

// xoshiro256** seeded by splitmix64: fast, reproducible across platforms (std:: distributions are not). Four named
// words rather than an array, so the state stays in registers in the generating loops (see Ziggurat::operator()).
class Rng {
 public:
  explicit Rng(const uint64_t (&s)[4]) : s0_(s[0]), s1_(s[1]), s2_(s[2]), s3_(s[3]) {}
  static void seed_words(uint64_t seed, uint64_t (&s)[4]) {
    for (uint64_t k = 0; k < 4; ++k) s[k] = mix(seed, k + 1);
  }
  void save(uint64_t (&s)[4]) const { s[0] = s0_, s[1] = s1_, s[2] = s2_, s[3] = s3_; }
  static Rng of_lane(const LaneWords& s, int l) { return Rng(s[0][l], s[1][l], s[2][l], s[3][l]); }
  void store_lane(LaneWords& s, int l) const { s[0][l] = s0_, s[1][l] = s1_, s[2][l] = s2_, s[3][l] = s3_; }
  // xoshiro256**'s jump(): the state 2^128 draws ahead (Blackman & Vigna's reference constants), so lanes never overlap.
  void jump() {
    static constexpr uint64_t kJump[] = {0x180ec6d33cfd0abaull, 0xd5a61266f0c9392cull, 0xa9582618e03fc9aaull,
                                         0x39abdc4529b1661cull};
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (const uint64_t j : kJump)
      for (int b = 0; b < 64; ++b) {
        if (j & (1ull << b)) t0 ^= s0_, t1 ^= s1_, t2 ^= s2_, t3 ^= s3_;
        next();
      }
    s0_ = t0, s1_ = t1, s2_ = t2, s3_ = t3;
  }
  uint64_t next() {
    const uint64_t r = rotl(s1_ * 5, 7) * 9, t = s1_ << 17;
    s2_ ^= s0_; s3_ ^= s1_; s1_ ^= s2_; s0_ ^= s3_; s2_ ^= t; s3_ = rotl(s3_, 45);
    return r;
  }
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t mix(uint64_t seed, uint64_t k) {  // splitmix64's k-th output
    uint64_t z = seed + k * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  Rng(uint64_t a, uint64_t b, uint64_t c, uint64_t d) : s0_(a), s1_(b), s2_(c), s3_(d) {}
  uint64_t s0_, s1_, s2_, s3_;
};

// Standard normal samples by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000) with 1024 layers: r
// (the base layer's edge) solved by bisection so that the layers of equal area v = r f(r) + the tail close at the top
// to 4e-14, as Marsaglia & Tsang's 128-layer constants do; 99.57% of the draws cost one table look-up and one compare
// (128 layers: 97.2%), no log/sin/cos. Each 64-bit draw gives the layer index (low 10 bits) and the signed 32-bit
// abscissa (high 32 bits), so the two never share bits. A layer's rectangle bound kn and width wn = x_i / 2^31 share
// one 64-bit table entry (kn in the low half, wn as a float in the high half: within 2^-24 of x_i / 2^31, a density
// change below 1e-7), so that the AVX2 kernel gathers one entry per sample.
class Ziggurat {
 public:
  static constexpr int kLayers = 1024;
  Ziggurat() {
    const double m1 = 2147483648.0, vn = 1.2263246463530852e-3;
    uint32_t kn[kLayers];
    double wn[kLayers];
    double dn = kR, tn = dn;
    const double q = vn / std::exp(-0.5 * dn * dn);
    kn[0] = static_cast<uint32_t>((dn / q) * m1);
    kn[1] = 0;  // the top layer is all wedge
    wn[0] = q / m1;
    wn[kLayers - 1] = dn / m1;
    fn_[0] = 1.0;
    fn_[kLayers - 1] = std::exp(-0.5 * dn * dn);
    for (int i = kLayers - 2; i >= 1; --i) {
      dn = std::sqrt(-2.0 * std::log(vn / dn + std::exp(-0.5 * dn * dn)));
      kn[i + 1] = static_cast<uint32_t>((dn / tn) * m1);
      tn = dn;
      fn_[i] = std::exp(-0.5 * dn * dn);
      wn[i] = dn / m1;
    }
    for (int i = 0; i < kLayers; ++i) {
      const float w = static_cast<float>(wn[i]);
      uint32_t wbits;
      std::memcpy(&wbits, &w, 4);
      layer_[i] = kn[i] | static_cast<uint64_t>(wbits) << 32;
    }
  }
  // Layer i's rectangle bound (accept |hz| < kn) and width (x = hz * wn, in double).
  uint32_t kn(int i) const { return static_cast<uint32_t>(layer_[i]); }
  double wn(int i) const {
    const uint32_t wbits = static_cast<uint32_t>(layer_[i] >> 32);
    float w;
    std::memcpy(&w, &wbits, 4);
    return w;
  }
  static int layer_of(uint64_t r) { return static_cast<int>(r & (kLayers - 1)); }
  // One sample from the draw r: the common case inline (one look-up, one compare); the rest out of line, drawing any
  // further numbers from `retry` (not from r's lane, which so advances by exactly one draw per sample).
  double operator()(uint64_t r, Rng& retry) const {
    const int i = layer_of(r);
    const int32_t hz = static_cast<int32_t>(r >> 32);
    const uint32_t mag = hz < 0 ? 0u - static_cast<uint32_t>(hz) : static_cast<uint32_t>(hz);
    if (mag < kn(i)) [[likely]] return hz * wn(i);
    return rejected(r, retry);
  }
  // The packed table, for the AVX2 kernel's gathers.
  const uint64_t* layers() const { return layer_; }

  // The draw r fell outside its layer's rectangle: the tail or wedge test, then new draws until one is accepted.
  [[gnu::noinline]] double rejected(uint64_t r, Rng& rng) const {
    for (;; r = rng.next()) {
      const int i = layer_of(r);
      const int32_t hz = static_cast<int32_t>(r >> 32);
      const double x = hz * wn(i);
      const uint32_t mag = hz < 0 ? 0u - static_cast<uint32_t>(hz) : static_cast<uint32_t>(hz);
      if (mag < kn(i)) return x;  // inside the layer's rectangle
      if (i == 0) {               // the tail beyond kR
        double tx, ty;
        do {
          tx = -std::log(1.0 - rng.uniform01()) / kR;
          ty = -std::log(1.0 - rng.uniform01());
        } while (ty + ty < tx * tx);
        return hz > 0 ? kR + tx : -kR - tx;
      }
      if (fn_[i] + rng.uniform01() * (fn_[i - 1] - fn_[i]) < std::exp(-0.5 * x * x)) return x;  // in the wedge
    }
  }

 private:
  static constexpr double kR = 4.038849846109505;
  uint64_t layer_[kLayers];
  double fn_[kLayers];
};

const Ziggurat& ziggurat() {
  static const Ziggurat z;
  return z;
}

// Each family's value from one lane's stream (and the shared retry stream), in double, rounded once to float.
struct NormalValue {
  double operator()(const Generator& g, Rng& lane, Rng& retry) const { return g.p0 + g.p1 * z(lane.next(), retry); }
  const Ziggurat& z = ziggurat();
};
struct UniformValue {
  double operator()(const Generator& g, Rng& lane, Rng&) const { return g.p0 + (g.p1 - g.p0) * lane.uniform01(); }
};
struct LaplaceValue {  // inverse CDF
  double operator()(const Generator& g, Rng& lane, Rng&) const {
    const double u = lane.uniform01() - 0.5;
    return g.p0 - g.p1 * (u < 0 ? -1.0 : 1.0) * std::log(1.0 - 2.0 * std::fabs(u));
  }
};

// out[0..n) from lanes lane, lane + 1, ... (mod kLanes); *lane becomes the lane of the next element.
template <class Value>
void fill_lanes(const Generator& g, LaneWords& s, uint64_t (&retry_words)[4], int* lane, float* out, size_t n,
                Value value) {
  if (n == 0) return;
  static_assert(kLanes == 8);
  Rng rng[kLanes] = {Rng::of_lane(s, 0), Rng::of_lane(s, 1), Rng::of_lane(s, 2), Rng::of_lane(s, 3),
                     Rng::of_lane(s, 4), Rng::of_lane(s, 5), Rng::of_lane(s, 6), Rng::of_lane(s, 7)};
  Rng retry(retry_words);
  int l = *lane;
  for (size_t i = 0; i < n; ++i) {
    out[i] = static_cast<float>(value(g, rng[l], retry));
    l = l + 1 == kLanes ? 0 : l + 1;
  }
  for (int k = 0; k < kLanes; ++k) rng[k].store_lane(s, k);
  retry.save(retry_words);
  *lane = l;
}

#if NVFP4_AVX2_KERNELS
// Four lanes' xoshiro256** words, one lane per 64-bit element (the multiplies by 5 and 9 as shifts and adds).
struct Lanes4 {
  __m256i s0, s1, s2, s3;
};
__attribute__((target("avx2"), always_inline)) inline __m256i rotl4(__m256i x, int k) {
  return _mm256_or_si256(_mm256_slli_epi64(x, k), _mm256_srli_epi64(x, 64 - k));
}
__attribute__((target("avx2"), always_inline)) inline __m256i next4(Lanes4& v) {
  const __m256i m5 = _mm256_add_epi64(v.s1, _mm256_slli_epi64(v.s1, 2));
  const __m256i rot = rotl4(m5, 7);
  const __m256i r = _mm256_add_epi64(rot, _mm256_slli_epi64(rot, 3));
  const __m256i t = _mm256_slli_epi64(v.s1, 17);
  v.s2 = _mm256_xor_si256(v.s2, v.s0);
  v.s3 = _mm256_xor_si256(v.s3, v.s1);
  v.s1 = _mm256_xor_si256(v.s1, v.s2);
  v.s0 = _mm256_xor_si256(v.s0, v.s3);
  v.s2 = _mm256_xor_si256(v.s2, t);
  v.s3 = rotl4(v.s3, 45);
  return r;
}
// The eight lanes' words in two registers: `lo` holds lanes 0, 1, 4, 5 and `hi` lanes 2, 3, 6, 7, so that one
// in-lane shuffle of the two gives a register of eight 32-bit fields in lane order 0 .. 7.
struct Lanes8 {
  Lanes4 lo, hi;
};
__attribute__((target("avx2"), always_inline)) inline void split(__m256i l0123, __m256i l4567, __m256i* lo,
                                                                __m256i* hi) {
  *lo = _mm256_permute2x128_si256(l0123, l4567, 0x20);
  *hi = _mm256_permute2x128_si256(l0123, l4567, 0x31);
}
__attribute__((target("avx2"), always_inline)) inline Lanes8 load8(const LaneWords& s) {
  Lanes8 v;
  __m256i* lo[4] = {&v.lo.s0, &v.lo.s1, &v.lo.s2, &v.lo.s3};
  __m256i* hi[4] = {&v.hi.s0, &v.hi.s1, &v.hi.s2, &v.hi.s3};
  for (int k = 0; k < 4; ++k)
    split(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(&s[k][0])),
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(&s[k][4])), lo[k], hi[k]);
  return v;
}
__attribute__((target("avx2"), always_inline)) inline void store8(LaneWords& s, const Lanes8& v) {
  const __m256i lo[4] = {v.lo.s0, v.lo.s1, v.lo.s2, v.lo.s3}, hi[4] = {v.hi.s0, v.hi.s1, v.hi.s2, v.hi.s3};
  for (int k = 0; k < 4; ++k) {  // the inverse of split: the same two permutes
    __m256i l0123, l4567;
    split(lo[k], hi[k], &l0123, &l4567);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(&s[k][0]), l0123);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(&s[k][4]), l4567);
  }
}
// The 32-bit fields `odd` (1: high halves, 0: low halves) of two registers of 64-bit fields laid out as Lanes8's,
// in lane order.
template <int kOdd>
__attribute__((target("avx2"), always_inline)) inline __m256i halves(__m256i lo, __m256i hi) {
  constexpr int sel = kOdd ? _MM_SHUFFLE(3, 1, 3, 1) : _MM_SHUFFLE(2, 0, 2, 0);
  return _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(lo), _mm256_castsi256_ps(hi), sel));
}
// p0 + p1 * (hz * wn) for four lanes, to float: the scalar code's double operations.
__attribute__((target("avx2"), always_inline)) inline __m128 value4(__m128i hz, __m128 wn, __m256d p0, __m256d p1) {
  const __m256d x = _mm256_mul_pd(_mm256_cvtepi32_pd(hz), _mm256_cvtps_pd(wn));
  return _mm256_cvtpd_ps(_mm256_add_pd(p0, _mm256_mul_pd(p1, x)));
}

// `groups` groups of kLanes normal values, lane 0 first, eight lanes at a time by the ziggurat's common case (layer
// index, rectangle test, hz * wn, p0 + p1 * x, to float). The few samples that failed the rectangle test are noted and
// finished afterwards in element order from the retry stream (as fill_lanes does).
__attribute__((target("avx2"))) void normal_groups_avx2(const Generator& g, LaneWords& s, Rng& retry, float* out,
                                                        size_t groups) {
  const Ziggurat& z = ziggurat();
  const long long* layers = reinterpret_cast<const long long*>(z.layers());
  const __m256d p0 = _mm256_set1_pd(g.p0), p1 = _mm256_set1_pd(g.p1);
  const __m256i layer_bits = _mm256_set1_epi64x(Ziggurat::kLayers - 1);
  struct Failed {
    size_t at;
    uint64_t r;
  };
  Failed failed[256];
  int nfailed = 0;
  auto finish = [&] {
    for (int f = 0; f < nfailed; ++f)
      out[failed[f].at] = static_cast<float>(g.p0 + g.p1 * z.rejected(failed[f].r, retry));
    nfailed = 0;
  };
  static_assert(kLanes == 8);
  Lanes8 v = load8(s);
  for (size_t gi = 0; gi < groups; ++gi) {
    float* o = out + gi * kLanes;
    const __m256i rlo = next4(v.lo), rhi = next4(v.hi);
    // One table entry per lane: kn | wn (float) << 32.
    const __m256i elo = _mm256_i64gather_epi64(layers, _mm256_and_si256(rlo, layer_bits), 8);
    const __m256i ehi = _mm256_i64gather_epi64(layers, _mm256_and_si256(rhi, layer_bits), 8);
    const __m256i kn = halves<0>(elo, ehi), wn = halves<1>(elo, ehi), hz = halves<1>(rlo, rhi);
    const __m256i mag = _mm256_abs_epi32(hz);  // |INT32_MIN| is 2^31 as unsigned, as in the scalar code
    const int fail = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_max_epu32(mag, kn), mag)));
    _mm_storeu_ps(o, value4(_mm256_castsi256_si128(hz), _mm256_castps256_ps128(_mm256_castsi256_ps(wn)), p0, p1));
    _mm_storeu_ps(o + 4, value4(_mm256_extracti128_si256(hz, 1), _mm_castsi128_ps(_mm256_extracti128_si256(wn, 1)),
                                p0, p1));
    if (fail == 0) [[likely]] continue;  // fail bit l: lane l's draw is not inside its layer's rectangle
    uint64_t r[kLanes];  // the draws in lane order
    __m256i r0123, r4567;
    split(rlo, rhi, &r0123, &r4567);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(r), r0123);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(r + 4), r4567);
    for (int bits = fail; bits != 0; bits &= bits - 1) {
      const int l = __builtin_ctz(static_cast<unsigned>(bits));
      failed[nfailed++] = Failed{gi * kLanes + l, r[l]};
    }
    if (nfailed > 256 - kLanes) finish();
  }
  finish();
  store8(s, v);
}
#endif

}  // namespace

bool parse_generator(const std::string& text, Generator* g) {
  const auto open = text.find('(');
  if (open == std::string::npos || text.empty() || text.back() != ')') return false;
  g->family = text.substr(0, open);
  if (g->family != "normal" && g->family != "uniform" && g->family != "laplace") return false;
  double a = 0, b = 0;
  char tail = 0;
  if (std::sscanf(text.c_str() + open + 1, "%lf ,%lf %c", &a, &b, &tail) != 3 || tail != ')') return false;
  g->p0 = a;
  g->p1 = b;
  return true;
}

GeneratorStream::GeneratorStream(const Generator& g, uint64_t seed)
    : g_(g), family_(g.family == "normal" ? 0 : g.family == "uniform" ? 1 : 2) {
  uint64_t words[4];
  Rng::seed_words(seed, words);
  Rng rng(words);
  for (int l = 0; l < kLanes; ++l) {
    if (l > 0) rng.jump();
    rng.store_lane(state_, l);
  }
  rng.jump();
  rng.save(retry_);
}

void GeneratorStream::fill_portable(float* out, size_t n) {
  if (family_ == 0) fill_lanes(g_, state_, retry_, &lane_, out, n, NormalValue{});
  else if (family_ == 1) fill_lanes(g_, state_, retry_, &lane_, out, n, UniformValue{});
  else fill_lanes(g_, state_, retry_, &lane_, out, n, LaplaceValue{});
}

void GeneratorStream::fill(float* out, size_t n) {
#if NVFP4_AVX2_KERNELS
  if (family_ == 0 && nvfp4::detail::cpu_has_avx2()) {
    const size_t head = std::min(n, static_cast<size_t>((kLanes - lane_) % kLanes));  // up to lane 0
    fill_portable(out, head);
    const size_t groups = (n - head) / kLanes;
    if (groups > 0) {
      Rng retry(retry_);
      normal_groups_avx2(g_, state_, retry, out + head, groups);
      retry.save(retry_);
    }
    fill_portable(out + head + groups * kLanes, n - head - groups * kLanes);
    return;
  }
#endif
  fill_portable(out, n);
}

void generate(const Generator& g, uint64_t seed, float* out, size_t n) { GeneratorStream(g, seed).fill(out, n); }

}  // namespace nvfp4::workload
