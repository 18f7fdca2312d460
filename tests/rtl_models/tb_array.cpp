// Test bench of the R x C output-stationary array (rtl_models/rtl/os_array.sv, verilated with R = C = 4, 16 lanes,
// E2M1 weights, mantissa LUT, fp32-seq): one tile of a real layer shape, BERT-base FFN-1 (K = 768, N = 3072):
// D (64 tokens x 64 outputs) = A (64 x 768) x B^T, with A quantized from heavy-tailed activations with outlier
// channels and B from Gaussian weights (NVFP4, recipe te), run as 256 array tiles back to back. Every engine result is compared with lut::DotEngine (accumulator bits) and
// numerics::gemm (D bits); the first mismatch stops the bench.
#include <bit>
#include <cmath>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "Vos_array.h"
#include "lut/engine.hpp"
#include "numerics/gemm.hpp"
#include "tests/lut/engine_fixtures.hpp"
#include "tests/rtl_models/tb_harness.hpp"

using namespace nvfp4;
using namespace nvfp4::rtl_tb;
namespace testing = nvfp4::lut::testing;

namespace {
constexpr int R = 4, C = 4, L = 16;
struct Want {
  uint32_t acc, d;
  int64_t m, n;
};
}  // namespace

int main(int argc, char** argv) {
  Harness<Vos_array> h(argc, argv);
  Checker ck;
  const int64_t M = 64, N = 64, K = 768;
  const QuantizedTensor a = testing::quantized(testing::realish_activations(M, K, 31), M, K, Scheme::NVFP4);
  const QuantizedTensor b = testing::quantized(testing::gaussian_weights(N, K, 32), N, K, Scheme::NVFP4);
  const AccumPolicy pol = AccumPolicy::parse("fp32-seq");
  const std::vector<float> gold = gemm(a, b, pol);
  lut::DotEngine model({L, lut::WeightFormat::E2M1, "mantissa-lut", pol});
  const float ts = a.tensor_scale * b.tensor_scale;
  const int64_t nb = K / L;

  std::deque<Want> want[R][C];
  for (int64_t mt = 0; mt < M / R; ++mt)
    for (int64_t nt = 0; nt < N / C; ++nt)
      for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) {
          const int64_t m = mt * R + r, n = nt * C + c;
          model.dot(a, m, b, n);
          want[r][c].push_back({uint32_t(model.last_accumulator_bits()), std::bit_cast<uint32_t>(gold[m * N + n]), m, n});
        }

  h->clk_i = 0;
  h->rst_ni = 0;
  h.tick();
  h->rst_ni = 1;
  h.start_clock();
  uint64_t beats = 0, got = 0, nonzero = 0;
  const uint64_t total = uint64_t(M * N), total_beats = uint64_t(M / R * N / C * nb);
  for (uint64_t cycle = 0; got < total && ck.ok(); ++cycle) {
    const bool feed = beats < total_beats;
    h->in_valid_i = feed;
    if (feed) {
      const int64_t tile = int64_t(beats) / nb, kb = int64_t(beats) % nb;
      const int64_t mt = tile / (N / C), nt = tile % (N / C);
      h->first_i = kb == 0;
      h->last_i = kb == nb - 1;
      uint32_t sa = 0, sb = 0;
      for (int r = 0; r < R; ++r) {
        for (int j = 0; j < L; ++j) put_bits(h->a_i, (r * L + j) * 4, 4, a.code(mt * R + r, kb * L + j));
        sa |= uint32_t(lut::block_scale_code(a, mt * R + r, kb)) << (8 * r);
      }
      for (int c = 0; c < C; ++c) {
        for (int j = 0; j < L; ++j) put_bits(h->w_i, (c * L + j) * 4, 4, b.code(nt * C + c, kb * L + j));
        sb |= uint32_t(lut::block_scale_code(b, nt * C + c, kb)) << (8 * c);
      }
      h->sa_i = sa;
      h->sb_i = sb;
      ++beats;
    }
    h.settle();
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        if (!((h->out_valid_o >> (r * C + c)) & 1u)) continue;
        if (want[r][c].empty()) {
          ck.fail("engine (" + std::to_string(r) + ", " + std::to_string(c) + ") produced an extra result");
          continue;
        }
        const Want w = want[r][c].front();
        want[r][c].pop_front();
        const uint32_t acc = uint32_t(get_bits(h->acc_o, (r * C + c) * 32, 32));
        float d = std::bit_cast<float>(acc) * ts;
        if (std::isnan(d)) d = std::bit_cast<float>(lut::kCanonicalNanBits);
        const std::string tag = "D[" + std::to_string(w.m) + "][" + std::to_string(w.n) + "] from engine (" +
                                std::to_string(r) + ", " + std::to_string(c) + ")";
        ck.same(tag + " accumulator vs lut model", got, acc, w.acc);
        ck.same(tag + " vs golden gemm", got, std::bit_cast<uint32_t>(d), w.d);
        nonzero += acc != 0;
        ++got;
      }
    if (cycle > total_beats + 4 * (R + C) + 16) ck.fail("array did not finish: " + std::to_string(got) + " of " + std::to_string(total));
    h.tick();
  }
  ck.require_nonzero(nonzero, total * 9 / 10, "array results");
  h.report("tb_array (4 x 4 engines x 16 lanes)", double(total_beats) * R * C * L);
  return ck.exit_code("tb_array");
}
