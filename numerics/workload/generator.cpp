// The seeded tensor generators of workloads (numerics/workload.hpp): one definition for every tool.
#include <cmath>
#include <cstdio>

#include "numerics/workload.hpp"

namespace nvfp4::workload {
namespace {

// xoshiro256** seeded by splitmix64: fast, reproducible across platforms (std:: distributions are not). Four named
// words rather than an array, so the state stays in registers in the generating loops (see Ziggurat::operator()).
class Rng {
 public:
  explicit Rng(const uint64_t (&s)[4]) : s0_(s[0]), s1_(s[1]), s2_(s[2]), s3_(s[3]) {}
  static void seed_words(uint64_t seed, uint64_t (&s)[4]) {
    for (uint64_t k = 0; k < 4; ++k) s[k] = mix(seed, k + 1);
  }
  void save(uint64_t (&s)[4]) const { s[0] = s0_, s[1] = s1_, s[2] = s2_, s[3] = s3_; }
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
  uint64_t s0_, s1_, s2_, s3_;
};

// Standard normal samples by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000; 128 layers): about
// 99% of the draws cost one table look-up and one compare, no log/sin/cos. Each 64-bit draw gives the layer index
// (low 7 bits) and the signed 32-bit abscissa (high 32 bits), so the two never share bits.
class Ziggurat {
 public:
  Ziggurat() {
    const double m1 = 2147483648.0, vn = 9.91256303526217e-3;
    double dn = kR, tn = dn;
    const double q = vn / std::exp(-0.5 * dn * dn);
    kn_[0] = static_cast<uint32_t>((dn / q) * m1);
    kn_[1] = 0;
    wn_[0] = q / m1;
    wn_[127] = dn / m1;
    fn_[0] = 1.0;
    fn_[127] = std::exp(-0.5 * dn * dn);
    for (int i = 126; i >= 1; --i) {
      dn = std::sqrt(-2.0 * std::log(vn / dn + std::exp(-0.5 * dn * dn)));
      kn_[i + 1] = static_cast<uint32_t>((dn / tn) * m1);
      tn = dn;
      fn_[i] = std::exp(-0.5 * dn * dn);
      wn_[i] = dn / m1;
    }
  }
  // The common case inline (one draw, one look-up, one compare); the rest, which may draw again, out of line.
  double operator()(Rng& rng) const {
    const uint64_t r = rng.next();
    const int i = static_cast<int>(r & 127);
    const int32_t hz = static_cast<int32_t>(r >> 32);
    const uint32_t mag = hz < 0 ? 0u - static_cast<uint32_t>(hz) : static_cast<uint32_t>(hz);
    if (mag < kn_[i]) [[likely]] return hz * wn_[i];
    Rng copy = rng;  // the slow path takes a copy: the caller's words need not be stored on every draw
    const double x = rejected(r, copy);
    rng = copy;
    return x;
  }

 private:
  // The draw r fell outside its layer's rectangle: the tail or wedge test, then new draws until one is accepted.
  [[gnu::noinline]] double rejected(uint64_t r, Rng& rng) const {
    for (;; r = rng.next()) {
      const int i = static_cast<int>(r & 127);
      const int32_t hz = static_cast<int32_t>(r >> 32);
      const double x = hz * wn_[i];
      const uint32_t mag = hz < 0 ? 0u - static_cast<uint32_t>(hz) : static_cast<uint32_t>(hz);
      if (mag < kn_[i]) return x;  // inside the layer's rectangle
      if (i == 0) {                // the tail beyond kR
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

  static constexpr double kR = 3.442619855899;
  uint32_t kn_[128];
  double wn_[128], fn_[128];
};

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

GeneratorStream::GeneratorStream(const Generator& g, uint64_t seed) : g_(g) { Rng::seed_words(seed, state_); }

void GeneratorStream::fill(float* out, size_t n) {
  Rng rng(state_);  // a local copy: the words stay in registers through the loop
  const Generator& g = g_;
  if (g.family == "uniform") {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(g.p0 + (g.p1 - g.p0) * rng.uniform01());
  } else if (g.family == "normal") {
    static const Ziggurat normal;
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(g.p0 + g.p1 * normal(rng));
  } else {  // laplace: inverse CDF
    for (size_t i = 0; i < n; ++i) {
      const double u = rng.uniform01() - 0.5;
      out[i] = static_cast<float>(g.p0 - g.p1 * (u < 0 ? -1.0 : 1.0) * std::log(1.0 - 2.0 * std::fabs(u)));
    }
  }
  rng.save(state_);
}

void generate(const Generator& g, uint64_t seed, float* out, size_t n) { GeneratorStream(g, seed).fill(out, n); }

}  // namespace nvfp4::workload
