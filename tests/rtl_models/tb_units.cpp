// Test bench of the combinational units (rtl_models/tb/tb_units_top.sv) against the C++ models, bit for bit:
//  - every lane multiplier style for all 16 x 16 E2M1 x E2M1 and 16 x 256 E2M1 x E4M3 code pairs;
//  - the scale unit for all 2^16 UE4M3 scale pairs;
//  - the fp32 adder on every pair of edge values and on random pairs (x86 SSE float addition is the reference);
//  - one fixed:32:16 accumulator update on random registers and terms (lut::Accumulator is the reference).
#include <bit>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "Vtb_units_top.h"
#include "lut/accumulator.hpp"
#include "lut/multiplier.hpp"
#include "lut/scale_unit.hpp"
#include "tests/rtl_models/tb_harness.hpp"

using namespace nvfp4;
using namespace nvfp4::rtl_tb;

namespace {

const char* kStyles[3] = {"mantissa-lut", "full-lut", "array"};

void check_lanes(Harness<Vtb_units_top>& h, Checker& ck) {
  std::unique_ptr<lut::LaneMultiplier> e2[3], e4[3];
  for (int s = 0; s < 3; ++s) {
    e2[s] = lut::make_multiplier(kStyles[s], lut::WeightFormat::E2M1);
    e4[s] = lut::make_multiplier(kStyles[s], lut::WeightFormat::E4M3);
  }
  uint64_t nonzero = 0;
  for (uint32_t a = 0; a < 16 && ck.ok(); ++a)
    for (uint32_t w = 0; w < 256 && ck.ok(); ++w) {
      h->a_i = a;
      h->w_i = w;
      h.eval();
      const uint64_t idx = a << 8 | w;
      for (int s = 0; s < 3; ++s) {
        const lut::LaneProduct p2 = e2[s]->multiply(uint8_t(a), uint16_t(w & 0xF));
        const lut::LaneProduct p4 = e4[s]->multiply(uint8_t(a), uint16_t(w));
        const std::string st = kStyles[s];
        ck.same("e2m1 x e2m1 " + st + " product (index a<<8|w)", idx, uint64_t(sign_extend(h->p_e2m1_o[s], 9)),
                uint64_t(p2.fixed));
        ck.same("e2m1 x e2m1 " + st + " special", idx, (h->sp_e2m1_o >> s) & 1u, p2.special);
        ck.same("e2m1 x e4m3 " + st + " product (index a<<8|w)", idx, uint64_t(sign_extend(h->p_e4m3_o[s], 23)),
                uint64_t(p4.fixed));
        ck.same("e2m1 x e4m3 " + st + " special", idx, (h->sp_e4m3_o >> s) & 1u, p4.special);
        nonzero += p4.fixed != 0;
      }
    }
  ck.require_nonzero(nonzero, 3 * 16 * 200, "lane products");
}

void check_scale_unit(Harness<Vtb_units_top>& h, Checker& ck) {
  uint64_t nonzero = 0;
  for (uint32_t a = 0; a < 256 && ck.ok(); ++a)
    for (uint32_t b = 0; b < 256 && ck.ok(); ++b) {
      h->sa_i = a;
      h->sb_i = b;
      h.eval();
      const lut::ScaleProduct p = lut::scale_multiply(uint8_t(a), uint8_t(b));
      const uint64_t idx = a << 8 | b;
      ck.same("scale unit nan (index sa<<8|sb)", idx, h->snan_o, p.nan);
      if (p.nan) continue;
      ck.same("scale unit product (index sa<<8|sb)", idx, h->sprod_o, p.prod);
      ck.same("scale unit exponent sum (index sa<<8|sb)", idx, h->sexp_o, uint64_t(p.exp_sum));
      nonzero += p.prod != 0;
    }
  ck.require_nonzero(nonzero, 50000, "scale products");
}

// The reference sum: x86 SSE addss, with the NaN rule written out so that operand order cannot matter.
uint32_t reference_add(uint32_t a, uint32_t b) {
  const float fa = std::bit_cast<float>(a), fb = std::bit_cast<float>(b);
  if (std::isnan(fa)) return a | 0x00400000u;
  if (std::isnan(fb)) return b | 0x00400000u;
  if (std::isinf(fa) && std::isinf(fb) && (a >> 31) != (b >> 31)) return 0xFFC00000u;
  return std::bit_cast<uint32_t>(fa + fb);
}

void check_fp32_add(Harness<Vtb_units_top>& h, Checker& ck, uint64_t random_pairs) {
  std::vector<uint32_t> edges = {0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000,
                                 0x80800000, 0x00800001, 0x3F800000, 0xBF800000, 0x3F800001, 0xBF7FFFFF, 0x33800000,
                                 0x33800001, 0xB3800000, 0x4B000000, 0x4B800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F000000,
                                 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x34000000, 0x00400000};
  uint64_t idx = 0;
  auto one = [&](uint32_t a, uint32_t b) {
    if (!ck.ok()) return;
    h->fa_i = a;
    h->fb_i = b;
    h.eval();
    if (!ck.same("fp32_add " + std::to_string(a) + " + " + std::to_string(b), idx, h->fsum_o, reference_add(a, b)))
      std::printf("  operands 0x%08x + 0x%08x\n", a, b);
    ++idx;
  };
  for (uint32_t a : edges)
    for (uint32_t b : edges) one(a, b);
  std::mt19937_64 rng(42);
  for (uint64_t i = 0; i < random_pairs && ck.ok(); ++i) {
    const uint64_t r = rng();
    uint32_t a = uint32_t(r), b = uint32_t(r >> 32);
    switch (i % 4) {
      case 0: break;  // any bits
      case 1: b = (b & 0x807FFFFFu) | ((a & 0x7F800000u) + ((b >> 23) % 5 << 23) - (2u << 23)) ; break;  // near exponents
      case 2: b = (a ^ 0x80000000u) + ((b & 0xFF) - 128); break;  // cancellation: b close to -a
      case 3: a &= 0x80FFFFFFu; b &= 0x80FFFFFFu; break;  // subnormals and tiny normals
    }
    one(a, b);
  }
}

void check_fixed_acc(Harness<Vtb_units_top>& h, Checker& ck, uint64_t n) {
  std::mt19937_64 rng(7);
  const AccumPolicy pol = AccumPolicy::parse("fixed:32:16");
  uint64_t nonzero = 0;
  for (uint64_t i = 0; i < n && ck.ok(); ++i) {
    const uint64_t r = rng();
    const int32_t base = int32_t(uint32_t(r)) >> (r >> 59);  // all magnitudes
    // normal terms 2^-30 .. 2^30 (the datapath's range and beyond), zero, and a NaN now and then
    uint32_t term = (uint32_t(r >> 32) & 0x807FFFFFu) | ((97u + uint32_t((r >> 40) % 61)) << 23);
    if (i % 97 == 0) term = 0;
    if (i % 211 == 0) term = 0x7FC00000u;
    h->acc_i = uint32_t(base);
    h->fb_i = term;
    h.eval();
    lut::Accumulator acc(pol);
    acc.clear();
    acc.load_fixed(base);
    acc.add(std::bit_cast<float>(term));
    if (!ck.same("fixed:32:16 update register", i, h->acc_o, uint32_t(acc.register_bits())))
      std::printf("  base %d term 0x%08x\n", base, term);
    ck.same("fixed:32:16 update saturated", i, h->acc_sat_o, acc.saturated());
    ck.same("fixed:32:16 update nan", i, h->acc_nan_o, acc.nan());
    nonzero += h->acc_o != 0;
  }
  ck.require_nonzero(nonzero, n / 2, "fixed accumulator");
}

}  // namespace

int main(int argc, char** argv) {
  Harness<Vtb_units_top> h(argc, argv);
  Checker ck;
  h.start_clock();
  check_lanes(h, ck);
  if (ck.ok()) check_scale_unit(h, ck);
  if (ck.ok()) check_fp32_add(h, ck, 2'000'000);
  if (ck.ok()) check_fixed_acc(h, ck, 200'000);
  h.report("tb_units");
  return ck.exit_code("tb_units");
}
