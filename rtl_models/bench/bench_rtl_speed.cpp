// Verilator simulation speed of one 16-lane dot-product engine and of an 8 x 8 output-stationary array of them
// (E2M1 weights, mantissa LUT, fp32-seq), fed a valid beat every cycle from random codes and scales.
// Counters: cycles/s and MAC/s (L MACs per engine per cycle). Build: cmake --build build --target bench_rtl_speed
#include <benchmark/benchmark.h>
#include <verilated.h>

#include <memory>
#include <random>
#include <vector>

#include "Vbench_engine.h"
#include "Vbench_array8.h"

namespace {

template <class Model>
std::unique_ptr<Model> make_model(VerilatedContext& ctx) {
  auto m = std::make_unique<Model>(&ctx, "TOP");
  m->clk_i = 0;
  m->rst_ni = 0;
  m->eval();
  m->clk_i = 1;
  m->eval();
  m->clk_i = 0;
  m->rst_ni = 1;
  m->eval();
  return m;
}

template <class Model>
void tick(Model& m) {
  m.clk_i = 1;
  m.eval();
  m.clk_i = 0;
  m.eval();
}

void BM_engine16(benchmark::State& state) {
  VerilatedContext ctx;
  auto m = make_model<Vbench_engine>(ctx);
  std::mt19937_64 rng(1);
  std::vector<uint64_t> beats(4096);
  for (auto& b : beats) b = rng();
  m->in_valid_i = 1;
  m->out_ready_i = 1;
  uint64_t cycles = 0;
  for (auto _ : state) {
    const uint64_t b = beats[cycles % beats.size()];
    m->a_i = b;
    m->w_i = b * 0x9E3779B97F4A7C15ull;
    m->sa_i = (b >> 3) % 0x7F;
    m->sb_i = (b >> 17) % 0x7F;
    m->first_i = cycles % 16 == 0;
    m->last_i = cycles % 16 == 15;
    tick(*m);
    ++cycles;
  }
  m->final();
  state.counters["cycles/s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["MAC/s"] = benchmark::Counter(double(cycles) * 16, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_engine16)->MinTime(2.0);

void BM_array8x8(benchmark::State& state) {
  VerilatedContext ctx;
  auto m = make_model<Vbench_array8>(ctx);
  std::mt19937 rng(2);
  constexpr int kWords = 16;  // 8 rows x 16 lanes x 4 bits = 512 bits
  std::vector<uint32_t> pool(4096 + 2 * kWords);
  for (auto& w : pool) w = rng();
  m->in_valid_i = 1;
  uint64_t cycles = 0;
  for (auto _ : state) {
    const size_t o = cycles % 4096;
    for (int i = 0; i < kWords; ++i) {
      m->a_i[i] = pool[o + i];
      m->w_i[i] = pool[o + kWords + i];
    }
    m->sa_i = 0x38383838383838ull;
    m->sb_i = 0x38383838383838ull;
    m->first_i = cycles % 16 == 0;
    m->last_i = cycles % 16 == 15;
    tick(*m);
    ++cycles;
  }
  m->final();
  state.counters["cycles/s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["MAC/s"] = benchmark::Counter(double(cycles) * 64 * 16, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_array8x8)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
