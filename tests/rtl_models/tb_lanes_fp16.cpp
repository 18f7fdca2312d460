// Test bench of the FP16-weight lanes and the split-LUT lanes (rtl_models/tb/tb_lanes_fp16_top.sv) against the C++
// lane multipliers (lut/multipliers/*), bit for bit, exhaustively: all 16 x 2^16 E2M1 x FP16 code pairs (subnormals,
// exponent 31 = the `special` flag, signed zeros included) in mantissa-lut, array and split-lut:2/3/4, and all
// 16 x 16 E2M1 x E2M1 and 16 x 256 E2M1 x E4M3 pairs in split-lut:2/3/4.
#include <cstdio>
#include <memory>
#include <string>

#include "Vtb_lanes_fp16_top.h"
#include "lut/multiplier.hpp"
#include "tests/rtl_models/tb_harness.hpp"

using namespace nvfp4;
using namespace nvfp4::rtl_tb;

namespace {

// Order of the top's p_fp16_o ports, and of its split-lut ports (slice widths 2, 3, 4).
const char* kFp16Styles[5] = {"mantissa-lut", "array", "split-lut:2", "split-lut:3", "split-lut:4"};
const char* kSplitStyles[3] = {"split-lut:2", "split-lut:3", "split-lut:4"};

struct Coverage {
  uint64_t nonzero = 0, special = 0, subnormal_nonzero = 0, zero_operand = 0;
};

void check_fp16(Harness<Vtb_lanes_fp16_top>& h, Checker& ck, uint32_t a, uint32_t w, Coverage& cov,
                const std::unique_ptr<lut::LaneMultiplier> (&mul)[5]) {
  const uint64_t idx = a << 16 | w;
  for (int s = 0; s < 5; ++s) {
    const lut::LaneProduct p = mul[s]->multiply(uint8_t(a), uint16_t(w));
    const std::string st = kFp16Styles[s];
    ck.same("e2m1 x fp16 " + st + " product (index a<<16|w)", idx, uint64_t(sign_extend(h->p_fp16_o[s], 45)),
            uint64_t(p.fixed));
    ck.same("e2m1 x fp16 " + st + " special (index a<<16|w)", idx, (h->sp_fp16_o >> s) & 1u, p.special);
    if (s != 0) continue;
    cov.nonzero += p.fixed != 0;
    cov.special += p.special;
    cov.subnormal_nonzero += ((w >> 10) & 0x1F) == 0 && p.fixed != 0;
    cov.zero_operand += (a & 7) == 0 || (w & 0x7FFF) == 0;  // +0 or -0 on either side
  }
}

void check_split_small(Harness<Vtb_lanes_fp16_top>& h, Checker& ck, uint32_t a, uint32_t w,
                       const std::unique_ptr<lut::LaneMultiplier> (&e2)[3],
                       const std::unique_ptr<lut::LaneMultiplier> (&e4)[3]) {
  const uint64_t idx = a << 8 | w;
  for (int s = 0; s < 3; ++s) {
    const std::string st = kSplitStyles[s];
    const lut::LaneProduct p4 = e4[s]->multiply(uint8_t(a), uint16_t(w));
    ck.same("e2m1 x e4m3 " + st + " product (index a<<8|w)", idx, uint64_t(sign_extend(h->p_e4m3_o[s], 23)),
            uint64_t(p4.fixed));
    ck.same("e2m1 x e4m3 " + st + " special", idx, (h->sp_e4m3_o >> s) & 1u, p4.special);
    if (w >= 16) continue;
    const lut::LaneProduct p2 = e2[s]->multiply(uint8_t(a), uint16_t(w));
    ck.same("e2m1 x e2m1 " + st + " product (index a<<8|w)", idx, uint64_t(sign_extend(h->p_e2m1_o[s], 9)),
            uint64_t(p2.fixed));
    ck.same("e2m1 x e2m1 " + st + " special", idx, (h->sp_e2m1_o >> s) & 1u, p2.special);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Harness<Vtb_lanes_fp16_top> h(argc, argv);
  Checker ck;
  std::unique_ptr<lut::LaneMultiplier> fp16[5], e2[3], e4[3];
  for (int s = 0; s < 5; ++s) fp16[s] = lut::make_multiplier(kFp16Styles[s], lut::WeightFormat::FP16);
  for (int s = 0; s < 3; ++s) {
    e2[s] = lut::make_multiplier(kSplitStyles[s], lut::WeightFormat::E2M1);
    e4[s] = lut::make_multiplier(kSplitStyles[s], lut::WeightFormat::E4M3);
  }
  Coverage cov;
  h.start_clock();
  for (uint32_t a = 0; a < 16 && ck.ok(); ++a)
    for (uint32_t w = 0; w < (1u << 16) && ck.ok(); ++w) {
      h->a_i = a;
      h->w_i = w;
      h.eval();
      check_fp16(h, ck, a, w, cov, fp16);
      if (w < 256) check_split_small(h, ck, a, w, e2, e4);
    }
  h.report("tb_lanes_fp16");
  if (ck.ok()) {
    // 14 of 16 activation codes are nonzero; of the weights 2 x 1024 have exponent 31 and 2 are zeros.
    ck.require_nonzero(cov.nonzero, 14 * (65536 - 2048 - 2), "e2m1 x fp16 products");
    ck.require_nonzero(cov.special, 16 * 2048, "e2m1 x fp16 special flags");
    ck.require_nonzero(cov.subnormal_nonzero, 14 * 2 * 1023, "e2m1 x fp16 subnormal-weight products");
    ck.require_nonzero(cov.zero_operand, 2 * 65536 + 14 * 2, "e2m1 x fp16 pairs with a signed zero");
  }
  std::printf("tb_lanes_fp16: %llu e2m1 x fp16 pairs x 5 styles, %llu special, %llu subnormal-weight nonzero\n",
              static_cast<unsigned long long>(h.cycles()), static_cast<unsigned long long>(cov.special),
              static_cast<unsigned long long>(cov.subnormal_nonzero));
  return ck.exit_code("tb_lanes_fp16");
}
