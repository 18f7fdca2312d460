// Quantize throughput in input GB/s on one core (Google Benchmark; part of the `bench` target).
// Goal (issue #3): >= 1 GB/s for nvfp4 te rn on a 4096 x 4096 fp32 tensor. Bytes counted = input bytes read
// once (4 bytes per element), although the quantizer streams over the input twice (amax pass, then blocks).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "numerics/quantize.hpp"

namespace {

const std::vector<float>& input_4096() {
  static const std::vector<float> x = [] {
    std::vector<float> v(size_t{4096} * 4096);
    std::mt19937 rng(1);
    std::normal_distribution<float> d(0.0f, 1.0f);
    for (auto& e : v) e = d(rng);
    return v;
  }();
  return x;
}

void run(benchmark::State& state, nvfp4::QuantSpec spec) {
  const std::vector<float>& x = input_4096();
  const auto q = nvfp4::make_quantizer(spec);
  for (auto _ : state) {
    nvfp4::QuantizedTensor t = q->quantize(x.data(), 4096, 4096);
    benchmark::DoNotOptimize(t.codes.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(x.size() * sizeof(float)));
}

nvfp4::QuantSpec spec_of(nvfp4::Scheme s, nvfp4::Recipe r, nvfp4::Rounding rd = nvfp4::Rounding::RN,
                         bool two_d = false) {
  nvfp4::QuantSpec q = nvfp4::QuantSpec::defaults_for(s);
  q.recipe = r;
  q.rounding = rd;
  q.block_2d = two_d;
  return q;
}

void BM_nvfp4_te_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::NVFP4, nvfp4::Recipe::TE)); }
void BM_nvfp4_te_rn_2d(benchmark::State& s) {
  run(s, spec_of(nvfp4::Scheme::NVFP4, nvfp4::Recipe::TE, nvfp4::Rounding::RN, true));
}
void BM_nvfp4_te_sr(benchmark::State& s) {
  run(s, spec_of(nvfp4::Scheme::NVFP4, nvfp4::Recipe::TE, nvfp4::Rounding::SR));
}
void BM_nvfp4_torchao_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::NVFP4, nvfp4::Recipe::TorchAO)); }
void BM_nvfp4_modelopt_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::NVFP4, nvfp4::Recipe::ModelOpt)); }
void BM_nvfp4_cutlass_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::NVFP4, nvfp4::Recipe::Cutlass)); }
void BM_mxfp4_floor_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::MXFP4, nvfp4::Recipe::Floor)); }
void BM_mxfp4_rceil_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::MXFP4, nvfp4::Recipe::RCeil)); }
void BM_int4_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::INT4, nvfp4::Recipe::None)); }
void BM_fp8_rn(benchmark::State& s) { run(s, spec_of(nvfp4::Scheme::FP8, nvfp4::Recipe::None)); }

}  // namespace

BENCHMARK(BM_nvfp4_te_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nvfp4_te_rn_2d)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nvfp4_te_sr)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nvfp4_torchao_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nvfp4_modelopt_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nvfp4_cutlass_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_mxfp4_floor_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_mxfp4_rceil_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_int4_rn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fp8_rn)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
