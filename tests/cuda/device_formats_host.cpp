// The device arithmetic of cuda/kernels/*.cuh compiled by the host compiler (no GPU needed, runs in CI):
//  - conversions vs the CUDA 13 header host emulation (cuda_fp4.h / cuda_fp8.h) on a strided sweep of all 2^32 fp32
//    patterns plus every special value (the full 2^32 sweep on the device is exhaustive_convert.cu);
//  - Philox vs numerics/philox.hpp; the blackwell-mma chunk helpers vs hand-checked cases; the fixed:W:F register
//    helpers vs the golden model's FixedAccumulator; the general GEMM's exact term (cuda/kernels/exact_term.cuh) vs the
//    golden ExactTerm.
#include <cuda_fp4.h>
#include <cuda_fp8.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "cuda/kernels/accumulate.cuh"
#include "cuda/kernels/exact_term.cuh"
#include "cuda/kernels/formats.cuh"
#include "cuda/kernels/philox.cuh"
#include "cuda/kernels/recipes.cuh"
#include "numerics/formats.hpp"
#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/policy_fixed.hpp"
#include "numerics/philox.hpp"

namespace {

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint64_t xorshift64(uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

struct Mismatch {
  uint64_t count = 0;
  uint32_t first = 0;
  int dev = 0, ref = 0;
};

template <typename Dev, typename Ref>
Mismatch sweep(Dev dev, Ref ref) {
  Mismatch m;
  auto check = [&](uint32_t u) {
    const float x = from_bits(u);
    const int d = dev(x), r = ref(x);
    if (d != r && m.count++ == 0) {
      m.first = u;
      m.dev = d;
      m.ref = r;
    }
  };
  for (uint64_t u = 0; u < (1ull << 32); u += 65537) check(static_cast<uint32_t>(u));  // strided sweep
  // every pattern near the decision points of E2M1 / E4M3 / UE8M0 and the specials
  const float points[] = {0.0f, 0.25f, 0.75f, 1.25f, 1.75f, 2.5f, 3.5f, 5.0f, 6.0f, 448.0f, 464.0f, 0x1p-9f,
                          0x1p-10f, 1.5f * 0x1p-9f, 0x1p-6f, 0x1p-126f, 0x1p-127f, 0x1p127f, 3.0e38f, 1.0f, 65504.0f};
  for (float p : points) {
    uint32_t b;
    std::memcpy(&b, &p, 4);
    for (int64_t d = -300; d <= 300; ++d) {
      check(static_cast<uint32_t>(b + d));
      check(static_cast<uint32_t>((b + d) ^ 0x80000000u));
    }
  }
  for (uint32_t u : {0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFFFFFFFFu, 0x00000001u,
                     0x80000001u, 0x007FFFFFu, 0x00400000u, 0x00400001u, 0x7F7FFFFFu})
    check(u);
  return m;
}

void require_none(const Mismatch& m, const char* what) {
  INFO(what << ": " << m.count << " mismatches; first input 0x" << std::hex << m.first << " device 0x" << m.dev
            << " reference 0x" << m.ref);
  REQUIRE(m.count == 0);
}

}  // namespace

using namespace nvfp4;

TEST_CASE("device E2M1 conversion equals the CUDA header emulation (rn, rz)") {
  require_none(sweep([](float x) { return cuda::e2m1_encode(x, false); },
                     [](float x) { return int(__nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundNearest)); }),
               "e2m1 rn");
  require_none(sweep([](float x) { return cuda::e2m1_encode(x, true); },
                     [](float x) { return int(__nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundZero)); }),
               "e2m1 rz");
  // a wrong implementation must be caught by this sweep: flip the NaN rule
  const Mismatch broken = sweep([](float x) { return x != x ? 0x8 : cuda::e2m1_encode(x, false); },
                                [](float x) { return int(__nv_cvt_float_to_fp4(x, __NV_E2M1, cudaRoundNearest)); });
  REQUIRE(broken.count > 0);
}

TEST_CASE("device E4M3 / UE8M0 conversions equal the CUDA header emulation") {
  require_none(sweep([](float x) { return cuda::e4m3_encode(x); },
                     [](float x) { return int(__nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E4M3)); }),
               "e4m3");
  require_none(sweep([](float x) { return cuda::ue8m0_encode(x, false); },
                     [](float x) { return int(__nv_cvt_float_to_e8m0(x, __NV_SATFINITE, cudaRoundZero)); }),
               "ue8m0 rz");
  require_none(sweep([](float x) { return cuda::ue8m0_encode(x, true); },
                     [](float x) { return int(__nv_cvt_float_to_e8m0(x, __NV_SATFINITE, cudaRoundPosInf)); }),
               "ue8m0 rp");
}

TEST_CASE("device conversions equal the numerics golden model") {
  require_none(sweep([](float x) { return cuda::e2m1_encode(x, false); },
                     [](float x) { return int(e2m1_from_float(x, Round::NearestEven)); }),
               "e2m1 rn vs golden");
  require_none(sweep([](float x) { return cuda::e2m1_encode_rn_fast(x); },
                     [](float x) { return int(e2m1_from_float(x, Round::NearestEven)); }),
               "e2m1 rn (kernel form) vs golden");
  require_none(sweep([](float x) { return cuda::e4m3_encode(x); }, [](float x) { return int(e4m3_from_float(x)); }),
               "e4m3 vs golden");
  require_none(sweep([](float x) { return cuda::ue8m0_encode(x, true); },
                     [](float x) { return int(ue8m0_from_float(x, Round::TowardPosInf)); }),
               "ue8m0 rp vs golden");
  require_none(sweep([](float x) { return int(cuda::fp16_encode(x)); }, [](float x) { return int(fp16_from_float(x)); }),
               "fp16 vs golden");
}

TEST_CASE("device decoders equal the golden decoders for every code") {
  for (int c = 0; c < 256; ++c) {
    const float d = cuda::e4m3_decode(uint8_t(c)), g = e4m3_to_float(uint8_t(c));
    if (std::isnan(g)) {
      REQUIRE(std::isnan(d));
    } else {
      uint32_t a, b;
      std::memcpy(&a, &d, 4);
      std::memcpy(&b, &g, 4);
      INFO("e4m3 code " << c);
      REQUIRE(a == b);
    }
    if (c < 255) REQUIRE(cuda::ue8m0_decode(uint8_t(c)) == ue8m0_to_float(uint8_t(c)));
    if (c < 16) REQUIRE(cuda::e2m1_decode(uint8_t(c)) == e2m1_to_float(uint8_t(c)));
  }
}

TEST_CASE("device Philox equals numerics/philox.hpp") {
  for (uint64_t seed : {0ull, 1ull, 0x123456789ABCDEFull, ~0ull})
    for (uint64_t i : {0ull, 1ull, 2ull, 1000ull, 0xFFFFFFFFull, 0x100000000ull, 0xDEADBEEFCAFEull})
      REQUIRE(cuda::philox_word0(seed, i) == sr_random_word(seed, i));
}

TEST_CASE("stochastic E2M1 rounding: the spec's rule at the edges") {
  // f = 0.5 between 1 and 1.5: rounds up iff (u >> 8) < 2^23
  REQUIRE(cuda::e2m1_stochastic(1.25f, 0u) == 0x3);
  REQUIRE(cuda::e2m1_stochastic(1.25f, 0xFFFFFFFFu) == 0x2);
  REQUIRE(cuda::e2m1_stochastic(-1.25f, 0u) == 0xB);
  REQUIRE(cuda::e2m1_stochastic(7.0f, 0u) == 0x7);
  REQUIRE(cuda::e2m1_stochastic(-0.0f, 0u) == 0x8);
  REQUIRE(cuda::e2m1_stochastic(4.0f, 0u) == 0x6);  // exactly on the grid: never moves
}

TEST_CASE("blackwell-mma chunk helpers") {
  // RZ conversion: 2^24 + 1 in units of 2^0 truncates to 2^24
  REQUIRE(cuda::rz_from_scaled((1ll << 24) + 1, 0) == 16777216.0f);
  REQUIRE(cuda::rz_from_scaled(-((1ll << 24) + 1), 0) == -16777216.0f);
  REQUIRE(cuda::rz_from_scaled(1, -149) == from_bits(1u));          // smallest subnormal
  REQUIRE(cuda::rz_from_scaled(3, -150) == from_bits(1u));          // 1.5 ulp -> 1 ulp (toward zero)
  REQUIRE(std::isinf(cuda::rz_from_scaled(1, 128)));
  REQUIRE(cuda::trunc_scaled(1.75f, 1) == 3);                        // 3.5 -> 3
  REQUIRE(cuda::trunc_scaled(-1.75f, 1) == -3);
  // a chunk whose largest scale exponent is far above C truncates C away entirely
  const float v[1] = {0x1p40f};  // one group term
  const int extra[1] = {0}, e[1] = {40};
  REQUIRE(cuda::blackwell_chunk(1.0f, 1, v, extra, e) == 0x1p40f);   // C = 1 is 2^-40 of Emax: truncated away
  // C = 2^20 + 1 aligned to Emax = 40 with 35 fractional bits: the grid is 2^5, so the +1 is truncated away,
  // while 2^40 + 2^20 itself is exact in fp32
  REQUIRE(cuda::blackwell_chunk(0x1p20f + 1.0f, 1, v, extra, e) == 0x1p40f + 0x1p20f);
  // a negative chunk sum far below the fp32 subnormals (MXFP4 scales near 2^-110 each) rounds to +0, not -0
  const float tiny_v[1] = {-3.0f};
  const int tiny_extra[1] = {-220}, tiny_e[1] = {-219};
  const float z = cuda::blackwell_chunk(0.0f, 1, tiny_v, tiny_extra, tiny_e);
  uint32_t zbits;
  std::memcpy(&zbits, &z, 4);
  REQUIRE(zbits == 0u);
  REQUIRE(cuda::rz_from_scaled(-1, -200) == 0.0f);
  const float rz = cuda::rz_from_scaled(-1, -200);
  std::memcpy(&zbits, &rz, 4);
  REQUIRE(zbits == 0u);
}

TEST_CASE("fixed:W:F register helpers equal the golden FixedAccumulator") {
  // random exact terms (sign, 24-bit mantissa, exponents -60..60, zeros) through registers of several widths,
  // narrow ones saturating often; the register value after every add and the finished D must be equal
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] { return xorshift64(state); };
  const std::pair<int, int> regs[] = {{8, 0}, {12, 4}, {32, 16}, {48, 24}, {64, 40}, {64, 0}, {63, 62}};
  for (auto [w, f] : regs) {
    gemm_detail::FixedAccumulator golden(w, f);
    const int64_t max = static_cast<int64_t>((uint64_t{1} << (w - 1)) - 1);
    const cuda::FixedRegister reg{f, -max - 1, max};
    int64_t acc = 0;
    int saturated = 0;
    for (int i = 0; i < 20000; ++i) {
      const uint64_t r = next();
      const bool neg = r & 1;
      const uint64_t mag = (r >> 8) & 0xFFFFFFu;  // <= 24 bits, may be 0
      const int exp2 = static_cast<int>((r >> 40) % 121) - 60 - 23;
      const float term = neg ? -std::ldexp(static_cast<float>(mag), exp2) : std::ldexp(static_cast<float>(mag), exp2);
      golden.add_exact(neg, mag, exp2);
      acc = cuda::fixed_add(acc, term, reg);
      REQUIRE(acc == golden.raw());
      saturated += acc == max || acc == -max - 1;
    }
    if (w <= 32) REQUIRE(saturated > 0);  // the narrow registers did saturate (the clamp is exercised)
    for (float ts : {1.0f, 0.375f, 0x1p-20f}) {
      const float a = cuda::fixed_finish(acc, false, f, ts), b = golden.finish(ts);
      REQUIRE(std::memcmp(&a, &b, 4) == 0);
    }
  }
  // an Inf term saturates, a NaN result is the canonical NaN
  const cuda::FixedRegister r32{16, -(int64_t{1} << 31), (int64_t{1} << 31) - 1};
  REQUIRE(cuda::fixed_add(0, std::numeric_limits<float>::infinity(), r32) == r32.max);
  REQUIRE(cuda::fixed_add(0, -std::numeric_limits<float>::infinity(), r32) == r32.min);
  const float nan_d = cuda::fixed_finish(5, true, 16, 1.0f);
  uint32_t nan_bits;
  std::memcpy(&nan_bits, &nan_d, 4);
  REQUIRE(nan_bits == 0x7FC00000u);
}

TEST_CASE("general GEMM exact term equals the golden ExactTerm") {
  uint64_t state = 0xD1B54A32D192ED03ull;
  auto next = [&] { return xorshift64(state); };
  auto same = [](float a, float b) { return std::memcmp(&a, &b, 4) == 0; };
  // scales: every UE4M3 / UE8M0 value, fp16 values (int4), 1, and random finite fp32 patterns (subnormals included)
  std::vector<float> scales = {1.0f, 0.0f, 0x1p-149f, 0x1p127f, 65504.0f};
  for (int c = 0; c < 127; ++c) scales.push_back(cuda::ue4m3_decode(static_cast<uint8_t>(c)));
  for (int c = 0; c < 255; ++c) scales.push_back(cuda::ue8m0_decode(static_cast<uint8_t>(c)));
  for (int i = 0; i < 200; ++i) {
    const uint32_t u = static_cast<uint32_t>(next()) & 0xFF7FFFFFu;  // finite
    scales.push_back(from_bits(u));
  }
  const int unit_exps[] = {-2, -10, -25, -33, -48, 0, 40};
  int64_t checked = 0, ties = 0, subnormal = 0, inf = 0, wide = 0, double_rounding_differs = 0;
  for (int i = 0; i < 400000; ++i) {
    const uint64_t r = next();
    const int bits = static_cast<int>(r % 63) + 1;  // |s| up to 2^62
    int64_t s = static_cast<int64_t>(next() >> (64 - bits));
    if (i % 4 == 1) s = (((s >> 1) | 1) << 1 | 1) << (r >> 58);  // odd tails: ties after the scale's shift
    if (r & 0x100) s = -s;
    const float sa = scales[(r >> 9) % scales.size()], sb = scales[(r >> 25) % scales.size()];
    const int ue = unit_exps[(r >> 41) % 7];
    const gemm_detail::ExactTerm g = gemm_detail::ExactTerm::product(s, ue, sa, sb);
    const float golden = g.to_fp32(), dev = cuda::exact_term_fp32(s, ue, sa, sb);
    INFO("s=" << s << " unit_exp=" << ue << " sa=" << sa << " sb=" << sb);
    REQUIRE(same(dev, golden));
    const float rz = cuda::fp32_from_u128(g.neg, g.mag, g.exp2, true);
    REQUIRE(same(rz, gemm_detail::fp32_from_scaled(g.neg, g.mag, g.exp2, gemm_detail::Fp32Round::TowardZero)));
    ++checked;
    ties += !same(rz, golden) && std::fabs(golden) != INFINITY;
    subnormal += golden != 0.0f && std::fabs(golden) < 0x1p-126f;
    inf += std::isinf(golden);
    wide += (g.mag >> 64) != 0;
    // a double-rounding shortcut must be caught by these cases (the test can fail)
    const float shortcut = static_cast<float>(std::ldexp(static_cast<double>(s), ue) * sa * sb);
    double_rounding_differs += !same(shortcut, golden);
  }
  REQUIRE(checked == 400000);
  REQUIRE(ties > 1000);     // RNE and RZ differ: rounding actually happened
  REQUIRE(subnormal > 100);
  REQUIRE(inf > 100);
  REQUIRE(wide > 100);      // magnitudes beyond 64 bits
  REQUIRE(double_rounding_differs > 100);
  // exact edges: a tie to even at 2^24 + 1 (-> 2^24), 2^24 + 3 (-> 2^24 + 4), the smallest subnormal's half
  REQUIRE(cuda::exact_term_fp32((1ll << 24) + 1, 0, 1.0f, 1.0f) == 0x1p24f);
  REQUIRE(cuda::exact_term_fp32((1ll << 24) + 3, 0, 1.0f, 1.0f) == 0x1p24f + 4.0f);
  REQUIRE(cuda::exact_term_fp32(1, -150, 1.0f, 1.0f) == 0.0f);
  REQUIRE(cuda::exact_term_fp32(3, -151, 1.0f, 1.0f) == 0x1p-149f);
  REQUIRE(std::isinf(cuda::exact_term_fp32(-1, 0, 0x1p127f, 2.0f)));
  REQUIRE(cuda::exact_term_fp32(-5, 0, 0.0f, 2.0f) == 0.0f);
  REQUIRE(!std::signbit(cuda::exact_term_fp32(-5, 0, 0.0f, 2.0f)));  // exact zero is +0
  // MMA-Sim scale exponents of every UE4M3 / UE8M0 code
  for (int c = 0; c < 127; ++c) {
    const float v = cuda::ue4m3_decode(static_cast<uint8_t>(c));
    REQUIRE(cuda::mmasim_exponent_of(v, -6) == gemm_detail::mmasim_scale_exponent(v, -6));
    REQUIRE(cuda::mmasim_exponent_of(v, -6) == cuda::ue4m3_mmasim_exponent(static_cast<uint8_t>(c)));
  }
  for (int c = 0; c < 255; ++c) {
    const float v = cuda::ue8m0_decode(static_cast<uint8_t>(c));
    REQUIRE(cuda::mmasim_exponent_of(v, -127) == cuda::ue8m0_mmasim_exponent(static_cast<uint8_t>(c)));
  }
}
