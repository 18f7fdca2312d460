// Throughput of the reliability model: SECDED encode/decode, SRAM fault reads, whole-tensor injection.
// Run: cmake --build build --target bench && build/bin/nvfp4_ecc_bench (figures in docs/BENCHMARKS.md, "## ecc").
#include <benchmark/benchmark.h>

#include <random>

#include "ecc/fault_injector.hpp"
#include "ecc/secded.hpp"
#include "ecc/sram_presets.hpp"

using namespace nvfp4::ecc;

namespace {

std::vector<WideWord> random_words(int bits, int count) {
  std::mt19937_64 rng(1);
  std::vector<WideWord> w(static_cast<size_t>(count));
  for (auto& x : w) x = WideWord{{rng(), rng(), rng()}}.low_bits(bits);
  return w;
}

void BM_SecdedEncode(benchmark::State& st) {
  const SecdedCode code(static_cast<int>(st.range(0)));
  const auto data = random_words(code.data_bits(), 1024);
  size_t i = 0;
  for (auto _ : st) {
    benchmark::DoNotOptimize(code.encode(data[i++ & 1023]));
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_SecdedEncode)->Arg(8)->Arg(32)->Arg(64)->Arg(72)->Arg(128);

void BM_SecdedDecodeSingleError(benchmark::State& st) {
  const SecdedCode code(static_cast<int>(st.range(0)));
  auto words = random_words(code.data_bits(), 1024);
  for (size_t i = 0; i < words.size(); ++i) {
    words[i] = code.encode(words[i]);
    words[i].flip(static_cast<int>(i % static_cast<size_t>(code.codeword_bits())));
  }
  size_t i = 0;
  for (auto _ : st) {
    benchmark::DoNotOptimize(code.decode(words[i++ & 1023]));
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_SecdedDecodeSingleError)->Arg(8)->Arg(32)->Arg(64)->Arg(72)->Arg(128);

void BM_SramPersistentRead(benchmark::State& st) {
  const auto model = make_failure_model(sram_preset("sun2017-65nm"));
  SramBank bank({"b", 0, 0.5, 64, 1 << 14, FaultKind::PersistentFlip, 1}, model);
  BitImage img(int64_t{1} << 20);
  for (auto _ : st) {
    bank.read(img, 0);
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * img.bits);  // cells per second
}
BENCHMARK(BM_SramPersistentRead)->Unit(benchmark::kMillisecond);

void BM_InjectNvfp4(benchmark::State& st) {
  // rows x 4096 NVFP4 tensor, random codes and scales (like the tests' fixture).
  nvfp4::QuantizedTensor q;
  q.spec = nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4);
  q.rows = st.range(0);
  q.cols = 4096;
  std::mt19937_64 rng(3);
  q.codes.resize(static_cast<size_t>(q.rows * q.cols / 2));
  for (auto& b : q.codes) b = static_cast<uint8_t>(rng());
  q.scales.resize(static_cast<size_t>(q.rows * q.cols / 16));
  for (auto& s : q.scales) s = static_cast<uint8_t>(0x20 + rng() % 0x40);
  q.tensor_scale = 0.5f;
  InjectionConfig c;
  c.layout = ProtectionLayout::parse("sign-exp-scale", nvfp4::Scheme::NVFP4);
  c.vdd_v = 0.55;
  c.failure = make_failure_model(sram_preset("sun2017-65nm"));
  for (auto _ : st) {
    benchmark::DoNotOptimize(inject_faults(q, c));
  }
  st.SetItemsProcessed(st.iterations() * q.rows * q.cols);  // elements per second
}
BENCHMARK(BM_InjectNvfp4)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
