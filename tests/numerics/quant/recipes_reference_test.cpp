// Every block-scaled recipe against a slow, direct transcription of its formula (docs/numerics.md), on random
// tensors with ties, zeros, -0, tiny and huge blocks, for every block size 1..256, 1-D and 2-D blocks, partial
// blocks and odd shapes. The fast path (row kernels, factor expansion, nibble packing, 2-D bands) must give the
// same bits: tensor scale, every block scale, every code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "numerics/formats.hpp"
#include "numerics/philox.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;

namespace {

struct Reference {
  float tensor_scale = 1.0f;
  std::vector<uint32_t> scales;  // storage order
  std::vector<uint8_t> codes;    // one per element, row-major
};

float amax_of(const std::vector<float>& x, int64_t cols, int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
  float m = 0.0f;
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t c = c0; c < c1; ++c) m = std::fmax(m, std::fabs(x[static_cast<size_t>(r * cols + c)]));
  return m;
}

// The spec's stochastic-rounding rule, written out in double: neighbours lo <= |v| < hi, away from zero iff
// (u >> 8) < f * 2^24; saturation and NaN as in rn.
uint8_t e2m1_sr_reference(float v, uint32_t u) {
  static const double grid[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  if (std::isnan(v)) return 0x7;
  const double a = std::fabs(static_cast<double>(v));
  int k = 7;
  if (a < 6.0) {
    k = 0;
    while (!(grid[k] <= a && a < grid[k + 1])) ++k;
    if (static_cast<double>(u >> 8) < (a - grid[k]) / (grid[k + 1] - grid[k]) * 16777216.0) ++k;
  }
  return static_cast<uint8_t>(k | (std::signbit(v) ? 8 : 0));
}

uint8_t e2m1_signed_zero_rule(float v, bool unsigned_zero, const QuantSpec& s, uint64_t index) {
  const uint8_t c = s.rounding == Rounding::SR ? e2m1_sr_reference(v, sr_random_word(s.seed, index))
                                               : e2m1_from_float(v);
  return (unsigned_zero && v == 0.0f) ? uint8_t{0} : c;
}

// Direct transcription, block by block. Returns the stored block scale code and fills the block's codes.
Reference reference_quantize(const std::vector<float>& x, int64_t rows, int64_t cols, const QuantSpec& s) {
  Reference out;
  out.codes.assign(static_cast<size_t>(rows * cols), 0);
  float A = 0.0f;
  for (float v : x) A = std::fmax(A, std::fabs(v));
  const float one_sixth = 1.0f / 6.0f;

  // Tensor-level constants, exactly as written in docs/numerics.md.
  float s_enc = std::min(2688.0f / A, FLT_MAX);
  if (A == 0.0f || s_enc == 0.0f) s_enc = 1.0f;
  const float s_dec = static_cast<float>(1.0 / static_cast<double>(s_enc));
  const float g = A / 2688.0f;
  switch (s.recipe) {
    case Recipe::TE:
    case Recipe::Cutlass: out.tensor_scale = s_dec; break;
    case Recipe::TorchAO:
    case Recipe::ModelOpt: out.tensor_scale = g; break;
    default: out.tensor_scale = 1.0f;
  }

  const int64_t B = s.block, bpr = (cols + B - 1) / B;
  const int64_t band = s.block_2d ? 16 : 1;
  for (int64_t r0 = 0; r0 < rows; r0 += band)
    for (int64_t kb = 0; kb < bpr; ++kb) {
      const int64_t r1 = std::min(rows, r0 + band), c0 = kb * B, c1 = std::min(cols, c0 + B);
      const float b = amax_of(x, cols, r0, r1, c0, c1);
      uint32_t code = 0;
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t c = c0; c < c1; ++c) {
          const float xi = x[static_cast<size_t>(r * cols + c)];
          float v = 0.0f;
          switch (s.recipe) {
            case Recipe::TE: {
              code = e4m3_from_float(b * (s_enc * one_sixth));
              v = xi * std::min(1.0f / (e4m3_to_float(static_cast<uint8_t>(code)) * s_dec), FLT_MAX);
              break;
            }
            case Recipe::Cutlass: {
              code = ue4m3_from_float(b * (s_enc * one_sixth));
              v = xi * std::min(s_enc * (1.0f / e4m3_to_float(static_cast<uint8_t>(code))), FLT_MAX);
              break;
            }
            case Recipe::TorchAO: {
              float t = (b / 6.0f) / g;
              if (!std::isnan(t)) t = std::clamp(t, 0x1p-6f, 448.0f);
              code = e4m3_from_float(t);
              v = xi / (g * e4m3_to_float(static_cast<uint8_t>(code)));
              if (!std::isnan(v)) v = std::clamp(v, -6.0f, 6.0f);
              break;
            }
            case Recipe::ModelOpt: {
              float t = b / (6.0f * g);
              if (t == 0.0f) t = 1.0f;
              if (!std::isnan(t)) t = std::max(t, 0x1p-9f);
              code = e4m3_from_float(t);
              v = xi / (e4m3_to_float(static_cast<uint8_t>(code)) * g);
              break;
            }
            case Recipe::Floor: {
              uint32_t bits;
              std::memcpy(&bits, &b, 4);
              const int e = std::clamp(static_cast<int>((bits >> 23) & 0xFF) - 127 - 2, -127, 127);
              code = static_cast<uint32_t>(e + 127);
              v = xi / std::max(std::ldexp(1.0f, e), 0x1p-126f);
              break;
            }
            case Recipe::RCeil: {
              code = ue8m0_from_float(b * one_sixth, Round::TowardPosInf);
              v = xi / ue8m0_to_float(static_cast<uint8_t>(code));
              break;
            }
            case Recipe::None: break;
          }
          out.codes[static_cast<size_t>(r * cols + c)] =
              e2m1_signed_zero_rule(v, s.recipe == Recipe::ModelOpt, s, static_cast<uint64_t>(r * cols + c));
        }
      out.scales.push_back(code);
    }
  return out;
}

// Random tensor with structure: per-row magnitude classes, exact grid values times a power of two (ties after
// scaling), zeros, negative zeros and occasional outliers.
std::vector<float> make_input(int64_t rows, int64_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> pick(0, 9), grid(0, 15), expo(-20, 20);
  const float kGrid[16] = {0, 0.25f, 0.5f, 0.75f, 1, 1.25f, 1.5f, 1.75f, 2, 2.5f, 3, 3.5f, 4, 5, 6, 7};
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r) {
    const float row_scale = std::ldexp(1.0f, expo(rng));
    for (int64_t c = 0; c < cols; ++c) {
      float v;
      switch (pick(rng)) {
        case 0: v = 0.0f; break;
        case 1: v = -0.0f; break;
        case 2:
        case 3: v = kGrid[grid(rng)] * row_scale * ((rng() & 1) ? 1.0f : -1.0f); break;
        case 4: v = normal(rng) * row_scale * 1000.0f; break;
        default: v = normal(rng) * row_scale;
      }
      x[static_cast<size_t>(r * cols + c)] = v;
    }
  }
  return x;
}

void compare(const std::vector<float>& x, int64_t rows, int64_t cols, const QuantSpec& s) {
  INFO("spec " << s.describe() << ", shape " << rows << " x " << cols);
  const QuantizedTensor q = quantize(x.data(), rows, cols, s);
  const Reference ref = reference_quantize(x, rows, cols, s);
  uint32_t got_ts, want_ts;
  std::memcpy(&got_ts, &q.tensor_scale, 4);
  std::memcpy(&want_ts, &ref.tensor_scale, 4);
  REQUIRE(got_ts == want_ts);
  REQUIRE(q.scales.size() == ref.scales.size());
  for (size_t i = 0; i < ref.scales.size(); ++i) {
    INFO("scale " << i);
    REQUIRE(q.scales[i] == ref.scales[i]);
  }
  size_t bad = ref.codes.size(), nonzero = 0;
  for (int64_t r = 0; r < rows && bad == ref.codes.size(); ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const size_t i = static_cast<size_t>(r * cols + c);
      nonzero += q.code(r, c) != 0;
      if (q.code(r, c) != ref.codes[i]) {
        bad = i;
        break;
      }
    }
  if (bad != ref.codes.size()) {
    const int64_t r = static_cast<int64_t>(bad) / cols, c = static_cast<int64_t>(bad) % cols;
    FAIL("first differing element [" << r << ", " << c << "] x = " << x[bad] << ": quantizer 0x" << std::hex
                                     << int(q.code(r, c)) << ", reference 0x" << int(ref.codes[bad]));
  }
  CHECK(nonzero > 0);
}

}  // namespace

TEST_CASE("nvfp4 recipes equal their formulas for every block size, 1-D and 2-D, odd shapes") {
  // {70, 64}, {150, 32}: short rows of whole blocks, which encode_rows takes many rows at a time (every B <= 32).
  const int64_t shapes[][2] = {{1, 1}, {3, 17}, {17, 33}, {20, 300}, {70, 64}, {150, 32}};
  uint32_t seed = 1;
  for (Recipe rc : {Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass})
    for (const auto& sh : shapes) {
      const std::vector<float> x = make_input(sh[0], sh[1], seed++);
      for (int B = 1; B <= 256; B *= 2) {
        QuantSpec s = QuantSpec::defaults_for(Scheme::NVFP4);
        s.recipe = rc;
        s.block = B;
        compare(x, sh[0], sh[1], s);
      }
      QuantSpec s2 = QuantSpec::defaults_for(Scheme::NVFP4);
      s2.recipe = rc;
      s2.block_2d = true;
      compare(x, sh[0], sh[1], s2);
    }
}

TEST_CASE("mxfp4 floor and rceil equal their formulas") {
  uint32_t seed = 100;
  for (Recipe rc : {Recipe::Floor, Recipe::RCeil})
    for (int B : {1, 16, 32, 256}) {
      const std::vector<float> x = make_input(19, 97, seed++);
      QuantSpec s = QuantSpec::defaults_for(Scheme::MXFP4);
      s.recipe = rc;
      s.block = B;
      compare(x, 19, 97, s);
      compare(make_input(40, 64, seed++), 40, 64, s);  // short rows of whole blocks (grouped by encode_rows)
      if (B == 16) {
        s.block_2d = true;
        compare(x, 19, 97, s);
      }
    }
}

TEST_CASE("stochastic rounding through every recipe equals the rule applied to the formula's scaled value") {
  uint32_t seed = 500;
  for (Recipe rc : {Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass, Recipe::Floor, Recipe::RCeil})
    for (int B : {1, 16, 32}) {
      const std::vector<float> x = make_input(21, 75, seed++);
      const bool mx = rc == Recipe::Floor || rc == Recipe::RCeil;
      QuantSpec s = QuantSpec::defaults_for(mx ? Scheme::MXFP4 : Scheme::NVFP4);
      s.recipe = rc;
      s.block = B;
      s.rounding = Rounding::SR;
      s.seed = 0x1234567800000000ull + seed;
      compare(x, 21, 75, s);
      if (B == 16) {
        s.block_2d = true;
        compare(x, 21, 75, s);
      }
    }
}
