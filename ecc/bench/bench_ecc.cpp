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

// The design-space study's operand read-back (scripts/sweeps/voltage_ecc.yaml; sim/faults/operand_faults.cpp): an
// NVFP4 operand of the Fashion-MNIST CNN (conv1's im2col input, 392,000 x 9; conv2's, 98,000 x 144) read back in place
// from its two banks at 0.9 V on the sky130-openram preset (p ~ 1.6e-2), codes through a 128-bit-word bank and scales
// through a 64-bit-word bank, each writing only its field, with the layout of arg 2 (0 none, 1 full, 2 sign-exp-scale,
// 3 sign-exp-scale in mixed-voltage mode).
void BM_ReadbackSweep(benchmark::State& st) {
  const int64_t rows = st.range(0) == 9 ? 392000 : 98000, cols = st.range(0);
  nvfp4::QuantizedTensor q;
  q.spec = nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4);
  q.rows = rows;
  q.cols = cols;
  std::mt19937_64 rng(3);
  q.codes.resize(static_cast<size_t>(rows * q.row_stride_bytes()));
  for (auto& b : q.codes) b = static_cast<uint8_t>(rng());
  q.scales.resize(static_cast<size_t>(rows * q.blocks_per_row()));
  for (auto& s : q.scales) s = static_cast<uint8_t>(0x20 + rng() % 0x40);
  q.tensor_scale = 0.5f;
  const char* names[] = {"none", "full", "sign-exp-scale", "sign-exp-scale"};
  const ProtectionLayout layout = ProtectionLayout::parse(names[st.range(1)], nvfp4::Scheme::NVFP4);
  InjectionConfig codes, scales;
  codes.failure = scales.failure = make_failure_model(sram_preset("sky130-openram"));
  codes.vdd_v = scales.vdd_v = 0.9;
  codes.word_bits = 128;
  scales.word_bits = 64;
  if (st.range(1) == 3) {
    codes.protected_code = scales.protected_code = ProtectedCode::None;
    codes.protected_vdd_v = scales.protected_vdd_v = 1.8;
  }
  codes.layout.code_mask = layout.code_mask;
  scales.layout.scale_mask = layout.scale_mask;
  codes.seed = 11;
  scales.seed = 11 ^ 0x5CA1E5ull;
  for (auto _ : st) {
    nvfp4::QuantizedTensor t = q;
    benchmark::DoNotOptimize(inject_faults_in_place(t, codes, Field::Codes));
    benchmark::DoNotOptimize(inject_faults_in_place(t, scales, Field::BlockScales));
  }
  st.SetItemsProcessed(st.iterations() * rows * cols);  // elements per second
}
BENCHMARK(BM_ReadbackSweep)->ArgsProduct({{9, 144}, {0, 1, 2, 3}})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
