// The seeded tensor generators of workloads (numerics/workload.hpp): one definition for every tool.
#include <cmath>
#include <cstdio>
#include <numbers>

#include "numerics/workload.hpp"

namespace nvfp4::workload {
namespace {

// xoshiro256** seeded by splitmix64: fast, reproducible across platforms (std:: distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0]; s_[3] ^= s_[1]; s_[1] ^= s_[2]; s_[0] ^= s_[3]; s_[2] ^= t; s_[3] = rotl(s_[3], 45);
    return r;
  }
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
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

void generate(const Generator& g, uint64_t seed, float* out, size_t n) {
  Rng rng(seed);
  if (g.family == "uniform") {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(g.p0 + (g.p1 - g.p0) * rng.uniform01());
  } else if (g.family == "normal") {
    for (size_t i = 0; i < n; i += 2) {  // Box-Muller, two values per pair of uniforms
      const double u1 = 1.0 - rng.uniform01(), u2 = rng.uniform01();
      const double r = std::sqrt(-2.0 * std::log(u1)), t = 2.0 * std::numbers::pi * u2;
      out[i] = static_cast<float>(g.p0 + g.p1 * r * std::cos(t));
      if (i + 1 < n) out[i + 1] = static_cast<float>(g.p0 + g.p1 * r * std::sin(t));
    }
  } else {  // laplace: inverse CDF
    for (size_t i = 0; i < n; ++i) {
      const double u = rng.uniform01() - 0.5;
      out[i] = static_cast<float>(g.p0 - g.p1 * (u < 0 ? -1.0 : 1.0) * std::log(1.0 - 2.0 * std::fabs(u)));
    }
  }
}

}  // namespace nvfp4::workload
