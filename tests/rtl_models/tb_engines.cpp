// Test bench of three 16-lane dot-product engines (rtl_models/tb/tb_engines_top.sv) against lut::DotEngine and the
// golden numerics::gemm, bit for bit, under random valid/ready back-pressure:
//   e0: E2M1 weights, mantissa LUT, fp32-seq     e1: E2M1 weights, array multiplier, fixed:32:16
//   e2: E4M3 (FP8) weights, full-product LUT, fp32-seq
// Stimulus: raw random codes and scales (NaN scales and NaN FP8 weights included), and quantized real-ish tensors.
// Every dot product's accumulator register, NaN and saturation flags are compared with the model, and the output
// D = acc x tensor scales with the golden GEMM.
#include <bit>
#include <cmath>
#include <cstdio>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "Vtb_engines_top.h"
#include "lut/engine.hpp"
#include "numerics/gemm.hpp"
#include "tests/lut/engine_fixtures.hpp"
#include "tests/rtl_models/tb_harness.hpp"

using namespace nvfp4;
using namespace nvfp4::rtl_tb;
namespace testing = nvfp4::lut::testing;

namespace {

constexpr int L = 16;
const char* kPolicy[3] = {"fp32-seq", "fixed:32:16", "fp32-seq"};

struct Beat {
  uint64_t a = 0, w4 = 0;
  uint32_t w8[4] = {0, 0, 0, 0};
  uint8_t sa = 0, sb = 0, sb8 = 0;
  bool first = false, last = false;
};
struct Expected {
  uint32_t acc[3];
  bool nan[3], sat[3];
  uint32_t d[3];  // golden D bits
  std::string where;
};

struct Workload {
  std::string name;
  QuantizedTensor a, b4, b8;
};

// The model and golden results of every (m, n) dot product, and the beats that feed them.
void build(const Workload& wl, std::vector<Beat>& beats, std::deque<Expected>& want) {
  lut::DotEngine eng[3] = {lut::DotEngine({L, lut::WeightFormat::E2M1, "mantissa-lut", AccumPolicy::parse(kPolicy[0])}),
                           lut::DotEngine({L, lut::WeightFormat::E2M1, "array", AccumPolicy::parse(kPolicy[1])}),
                           lut::DotEngine({L, lut::WeightFormat::E4M3, "full-lut", AccumPolicy::parse(kPolicy[2])})};
  const std::vector<float> gold[3] = {gemm(wl.a, wl.b4, AccumPolicy::parse(kPolicy[0])),
                                      gemm(wl.a, wl.b4, AccumPolicy::parse(kPolicy[1])),
                                      gemm(wl.a, wl.b8, AccumPolicy::parse(kPolicy[2]))};
  const int64_t K = wl.a.cols, nb = (K + L - 1) / L, N = wl.b4.rows;
  for (int64_t m = 0; m < wl.a.rows; ++m)
    for (int64_t n = 0; n < N; ++n) {
      Expected e;
      for (int i = 0; i < 3; ++i) {
        const uint64_t sat0 = eng[i].actions().fixed_saturations;
        const float d = eng[i].dot(wl.a, m, i == 2 ? wl.b8 : wl.b4, n);
        e.acc[i] = uint32_t(eng[i].last_accumulator_bits());
        e.nan[i] = std::isnan(d);
        e.sat[i] = eng[i].actions().fixed_saturations != sat0;
        e.d[i] = std::bit_cast<uint32_t>(gold[i][size_t(m * N + n)]);
        if (std::bit_cast<uint32_t>(d) != e.d[i])
          std::printf("note: model and golden differ at %s (%lld, %lld) engine %d\n", wl.name.c_str(), (long long)m,
                      (long long)n, i);
      }
      e.where = wl.name + " D[" + std::to_string(m) + "][" + std::to_string(n) + "]";
      want.push_back(e);
      for (int64_t kb = 0; kb < nb; ++kb) {
        Beat bt;
        for (int j = 0; j < L; ++j) {
          const int64_t k = kb * L + j;
          if (k >= K) break;  // partial block: zero codes in the missing lanes
          bt.a |= uint64_t(wl.a.code(m, k)) << (4 * j);
          bt.w4 |= uint64_t(wl.b4.code(n, k)) << (4 * j);
          put_bits(bt.w8, 8 * j, 8, wl.b8.code(n, k));
        }
        bt.sa = lut::block_scale_code(wl.a, m, kb);
        bt.sb = lut::block_scale_code(wl.b4, n, kb);
        bt.sb8 = lut::block_scale_code(wl.b8, n, kb);
        bt.first = kb == 0;
        bt.last = kb == nb - 1;
        beats.push_back(bt);
      }
    }
}

// D as the consumer of the engine's output computes it (numerics/gemm.hpp): a fixed-point NaN flag gives NaN.
float d_from_acc(uint32_t acc, bool nan, int engine, float ts) {
  if (nan && engine == 1) return std::bit_cast<float>(lut::kCanonicalNanBits);
  float d = engine == 1 ? std::ldexp(float(int32_t(acc)), -16) * ts : std::bit_cast<float>(acc) * ts;
  return std::isnan(d) ? std::bit_cast<float>(lut::kCanonicalNanBits) : d;
}

}  // namespace

int main(int argc, char** argv) {
  Harness<Vtb_engines_top> h(argc, argv);
  Checker ck;
  std::vector<Workload> wls;
  {
    Workload w{"random-codes", testing::random_nvfp4(12, 256, 21, /*nan_per_mille=*/3), testing::random_nvfp4(10, 256, 22), {}};
    w.b8 = testing::quantized(testing::gaussian_weights(10, 256, 23), 10, 256, Scheme::FP8);
    std::mt19937 rng(24);
    for (auto& c : w.b8.codes) c = uint8_t(rng() % 1000 == 0 ? 0x7F : rng());  // every E4M3 code, rare NaN
    wls.push_back(std::move(w));
  }
  {
    const int64_t M = 16, N = 16, K = 1000;  // partial last block
    const auto x = testing::realish_activations(M, K, 25);
    const auto wt = testing::gaussian_weights(N, K, 26);
    wls.push_back({"quantized-realish", testing::quantized(x, M, K, Scheme::NVFP4), testing::quantized(wt, N, K, Scheme::NVFP4),
                   testing::quantized(wt, N, K, Scheme::FP8)});
  }
  std::vector<Beat> beats;
  std::deque<Expected> want;
  std::vector<float> ts;  // tensor-scale products per dot, in order
  for (const auto& wl : wls) {
    const size_t before = want.size();
    build(wl, beats, want);
    for (size_t i = before; i < want.size(); ++i) ts.push_back(wl.a.tensor_scale * wl.b4.tensor_scale);
  }
  std::vector<float> ts8;
  for (const auto& wl : wls)
    for (int64_t i = 0; i < wl.a.rows * wl.b4.rows; ++i) ts8.push_back(wl.a.tensor_scale * wl.b8.tensor_scale);

  std::mt19937 rng(99);
  h->rst_ni = 0;
  h->clk_i = 0;
  h.tick();
  h.tick();
  h->rst_ni = 1;
  h.start_clock();
  size_t next = 0, got = 0, idle = 0, total = want.size();
  uint64_t nonzero = 0;
  while (got < total && ck.ok()) {
    const bool valid = next < beats.size() && rng() % 10 < 8;
    h->in_valid_i = valid;
    if (next < beats.size()) {
      const Beat& b = beats[next];
      h->a_i = b.a;
      h->w4_i = b.w4;
      for (int i = 0; i < 4; ++i) h->w8_i[i] = b.w8[i];
      h->sa_i = b.sa;
      h->sb_i = b.sb;
      h->sb8_i = b.sb8;
      h->first_i = b.first;
      h->last_i = b.last;
    }
    h->out_ready_i = rng() % 10 < 7;
    h.settle();
    if (h->in_ready_o != 0 && h->in_ready_o != 7) ck.fail("engines disagree on in_ready");
    if (h->out_valid_o != 0 && h->out_valid_o != 7) ck.fail("engines disagree on out_valid");
    if (valid && h->in_ready_o) ++next;
    if (h->out_valid_o && h->out_ready_i) {
      const Expected& e = want.front();
      const size_t i = got;
      for (int k = 0; k < 3 && ck.ok(); ++k) {
        const std::string tag = e.where + " engine " + std::to_string(k) + " (" + kPolicy[k] + ")";
        ck.same(tag + " accumulator", i, h->acc_o[k], e.acc[k]);
        ck.same(tag + " nan", i, (h->nan_o >> k) & 1u, e.nan[k]);
        ck.same(tag + " saturated", i, (h->sat_o >> k) & 1u, e.sat[k]);
        const float d = d_from_acc(h->acc_o[k], (h->nan_o >> k) & 1u, k, k == 2 ? ts8[i] : ts[i]);
        ck.same(tag + " D vs golden gemm", i, std::bit_cast<uint32_t>(d), e.d[k]);
        nonzero += h->acc_o[k] != 0;
      }
      want.pop_front();
      ++got;
      idle = 0;
    } else if (++idle > 1000) {
      ck.fail("no result for 1000 cycles after " + std::to_string(got) + " of " + std::to_string(total));
    }
    h.tick();
  }
  ck.require_nonzero(nonzero, 3 * total * 9 / 10, "engine results");
  h.report("tb_engines (3 engines x 16 lanes)", double(beats.size()) * 3 * L);
  return ck.exit_code("tb_engines");
}
