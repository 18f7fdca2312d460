#include "numerics/cli/sample_data.hpp"

#include <cmath>
#include <random>

namespace nvfp4::cli {
namespace {

// Standard normal numbers by Box-Muller over std::mt19937_64 (whose output the C++ standard fixes; the standard
// distributions are implementation-defined, so they are not used).
class Gaussian {
 public:
  explicit Gaussian(uint64_t seed) : rng_(seed) {}
  double next() {
    if (have_spare_) {
      have_spare_ = false;
      return spare_;
    }
    const double u1 = (static_cast<double>(rng_() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(rng_() >> 11) * 0x1.0p-53;          // [0, 1)
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * M_PI * u2);
    have_spare_ = true;
    return r * std::cos(2.0 * M_PI * u2);
  }

 private:
  std::mt19937_64 rng_;
  double spare_ = 0;
  bool have_spare_ = false;
};

}  // namespace

std::vector<int64_t> outlier_channels(int64_t cols) { return {cols / 7, cols / 3 + 5, (cols * 5) / 6}; }

std::vector<float> sample_activations(int64_t rows, int64_t cols, uint64_t seed) {
  Gaussian g(seed);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (float& v : x) v = static_cast<float>(g.next());
  for (int64_t c : outlier_channels(cols))
    for (int64_t r = 0; r < rows; ++r) x[r * cols + c] *= kOutlierGain;
  return x;
}

std::vector<float> sample_weights(int64_t rows, int64_t cols, uint64_t seed) {
  Gaussian g(seed ^ 0x9E3779B97F4A7C15ull);
  std::vector<float> w(static_cast<size_t>(rows * cols));
  for (float& v : w) v = static_cast<float>(kWeightSigma * g.next());
  return w;
}

}  // namespace nvfp4::cli
