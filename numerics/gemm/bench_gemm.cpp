// Golden GEMM throughput (GMAC/s, one core) beside OpenBLAS sgemm (one thread) on the dequantized float operands,
// in the same run. Operands: N(0,1) activations and N(0, 0.02) weights quantized as nvfp4 (te, B = 16).
// Rates use the CPU time of the (single-threaded) calls, so a busy shared machine slows the figures less than wall
// time would. Run: build/bin/nvfp4_gemm_bench (see docs/BENCHMARKS.md for the recorded figures).
// BM_golden_gemm_resnet18: the 21 GEMMs of sim/examples/resnet18.csv (lowered by the workload library) on the
// operands nvfp4sim generates for them with its defaults (nvfp4, te; seed 1), one iteration = the whole network.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "numerics/gemm.hpp"
#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/gemm/operands.hpp"
#include "numerics/quantize.hpp"
#include "numerics/workload.hpp"

namespace {

struct Operands {
  nvfp4::QuantizedTensor a, b;
  std::vector<float> a_float, b_float;  // dequantized: the same values sgemm multiplies
};

// One set of operands per size, built once and shared by every benchmark of that size.
const Operands& operands(int64_t size) {
  static std::map<int64_t, std::unique_ptr<Operands>> cache;
  auto& slot = cache[size];
  if (!slot) {
    slot = std::make_unique<Operands>();
    std::mt19937_64 rng(42);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> x(static_cast<size_t>(size * size)), w(x.size());
    for (float& v : x) v = normal(rng);
    for (float& v : w) v = normal(rng) * 0.02f;
    const nvfp4::QuantSpec spec = nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4);
    slot->a = nvfp4::quantize(x.data(), size, size, spec);
    slot->b = nvfp4::quantize(w.data(), size, size, spec);
    slot->a_float = nvfp4::dequantize(slot->a);
    slot->b_float = nvfp4::dequantize(slot->b);
  }
  return *slot;
}

void set_counters(benchmark::State& state, int64_t size) {
  const double macs = static_cast<double>(size) * static_cast<double>(size) * static_cast<double>(size);
  state.counters["MAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_golden_gemm(benchmark::State& state, const std::string& policy_name) {
  const int64_t size = state.range(0);
  const Operands& op = operands(size);
  const nvfp4::AccumPolicy policy = nvfp4::AccumPolicy::parse(policy_name);
  std::vector<float> d(static_cast<size_t>(size * size));
  for (auto _ : state) {
    nvfp4::gemm_into(op.a, op.b, policy, d.data(), 1);
    benchmark::DoNotOptimize(d.data());
  }
  const nvfp4::gemm_detail::GemmPlan plan = nvfp4::gemm_detail::plan_gemm(op.a, op.b, policy);
  const bool fast = nvfp4::gemm_detail::fp4_fast_path_applies(op.a, op.b, plan, policy);
  state.SetLabel(policy_name + (fast ? " kernel " + std::string(nvfp4::gemm_detail::kernel_name(
                                                      nvfp4::gemm_detail::best_fp4_kernel()))
                                     : " scalar integer driver"));
  set_counters(state, size);
}

void BM_openblas_sgemm(benchmark::State& state) {
  const int size = static_cast<int>(state.range(0));
  const Operands& op = operands(size);
  openblas_set_num_threads(1);
  std::vector<float> c(static_cast<size_t>(size) * size);
  for (auto _ : state) {
    // C = A x B^T, both row-major with K contiguous: the same layout as the golden GEMM.
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, size, size, size, 1.0f, op.a_float.data(), size,
                op.b_float.data(), size, 0.0f, c.data(), size);
    benchmark::DoNotOptimize(c.data());
  }
  state.SetLabel("openblas " + std::string(openblas_get_config()));
  set_counters(state, size);
}

}  // namespace

struct LayerOperands {
  nvfp4::QuantizedTensor a, b;
  std::vector<float> d;
};

std::vector<LayerOperands>& resnet18() {
  static std::vector<LayerOperands> layers = [] {
    std::vector<LayerOperands> out;
    const auto csv = nvfp4::workload::read_csv(NVFP4_SOURCE_DIR "/sim/examples/resnet18.csv");
    const nvfp4::QuantSpec spec = nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4);
    for (size_t i = 0; i < csv.size(); ++i) {
      const auto operand = [&](int which) {
        return *nvfp4::workload::quantize_generated_operand(csv[i], static_cast<int64_t>(i), which,
                                                            nvfp4::workload::kDefaultActivations,
                                                            nvfp4::workload::kDefaultWeights, 1, spec);
      };
      out.push_back({operand(0), operand(1), std::vector<float>(static_cast<size_t>(csv[i].M * csv[i].N))});
    }
    return out;
  }();
  return layers;
}

void BM_golden_gemm_resnet18(benchmark::State& state) {
  std::vector<LayerOperands>& layers = resnet18();
  const nvfp4::AccumPolicy policy;  // fp32-seq
  double macs = 0;
  for (const auto& l : layers) macs += static_cast<double>(l.a.rows) * l.b.rows * l.a.cols;
  for (auto _ : state) {
    for (auto& l : layers) {
      nvfp4::gemm_into(l.a, l.b, policy, l.d.data(), 1);
      benchmark::DoNotOptimize(l.d.data());
    }
  }
  const std::string kernel(nvfp4::gemm_detail::kernel_name(nvfp4::gemm_detail::best_fp4_kernel()));
  state.SetLabel("fp32-seq kernel " + kernel + ", " + std::to_string(layers.size()) + " layers");
  state.counters["MAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_golden_gemm_resnet18)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_golden_gemm, fp32_seq, std::string("fp32-seq"))
    ->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_openblas_sgemm)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_golden_gemm, blackwell_mma, std::string("blackwell-mma"))
    ->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_golden_gemm, fixed_32_16, std::string("fixed:32:16"))
    ->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_golden_gemm, fixed_64_32, std::string("fixed:64:32"))
    ->Arg(1024)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
