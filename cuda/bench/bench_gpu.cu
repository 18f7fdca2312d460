// GPU benchmarks (Google Benchmark, manual time from CUDA events; docs/BENCHMARKS.md "## cuda"):
//  - quantize bandwidth vs a device-to-device copy in the same process;
//  - block-scaled GEMM (fp32-seq, blackwell-mma) vs cuBLAS BF16 on the same shape, and vs the usual emulation
//    (dequantize to fp16 with the block scales folded, then cuBLAS fp16 GEMM with fp32 accumulation).
// Run: build/bin/bench_cuda [--benchmark_filter=...]. Inputs are random N(0,1) data, never zeros.
#include <benchmark/benchmark.h>
#include <cublas_v2.h>
#include <cuda_bf16.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cuda/gpu.hpp"

using namespace nvfp4;

namespace {

struct Events {
  cudaEvent_t a{}, b{};
  Events() {
    cudaEventCreate(&a);
    cudaEventCreate(&b);
  }
  ~Events() {
    cudaEventDestroy(a);
    cudaEventDestroy(b);
  }
  template <typename F>
  double ms(F&& f) {
    cudaEventRecord(a);
    f();
    cudaEventRecord(b);
    cudaEventSynchronize(b);
    float t = 0;
    cudaEventElapsedTime(&t, a, b);
    return t;
  }
};

// Random data made on the device (a host generator would dominate the run time at 1 GiB): approximately normal
// values from the sum of four uniform hashes, scaled so blocks have varied amaxes. Never zeros.
__device__ uint32_t hash32(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return static_cast<uint32_t>(x);
}
__global__ void fill_random(float* out, int64_t n, uint64_t seed) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    float s = 0.f;
    for (int j = 0; j < 4; ++j) s += static_cast<float>(hash32(seed * 0x9E3779B97F4A7C15ull + i * 4 + j) >> 8) * 0x1p-24f;
    out[i] = (s - 2.0f) * 1.7f;
  }
}
__global__ void to_bf16(const float* in, __nv_bfloat16* out, int64_t n) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x)
    out[i] = __float2bfloat16(in[i]);
}

gpu::DeviceBuffer<float> random_device(int64_t n, uint64_t seed) {
  gpu::DeviceBuffer<float> d(static_cast<size_t>(n), "bench input");
  fill_random<<<132 * 16, 256>>>(d.get(), n, seed);
  NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
  return d;
}

// Quantize shapes (rows, cols as benchmark args): 16384 x 16384 fp32 = 1 GiB, far beyond the 50 MB L2; activation
// sizes 4096 x 4096 (64 MB) and 2048 x 4096 (32 MB, fits L2: repeated iterations then read it from L2).
void quantize_shapes(benchmark::internal::Benchmark* b) {
  b->Args({16384, 16384})->Args({4096, 4096})->Args({2048, 4096});
  b->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
}

// the copy of the same input size (rows x cols fp32), read + write
void BM_CopyD2D(benchmark::State& st) {
  const size_t bytes = static_cast<size_t>(st.range(0) * st.range(1)) * 4;
  gpu::DeviceBuffer<uint8_t> src(bytes, "copy src"), dst(bytes, "copy dst");
  NVFP4_CUDA_CHECK(cudaMemset(src.get(), 1, bytes));
  Events ev;
  for (auto _ : st) st.SetIterationTime(ev.ms([&] { cudaMemcpyAsync(dst.get(), src.get(), bytes, cudaMemcpyDeviceToDevice); }) / 1e3);
  st.counters["GBps_rw"] = benchmark::Counter(2.0 * bytes * st.iterations(), benchmark::Counter::kIsRate);
}

// For the run: "vec" sets NVFP4_QUANTIZE_KERNEL=vec (the older kernels), "forward" NVFP4_QUANTIZE_ORDER=forward
// (second pass not reversed); both cleared after.
struct KernelChoice {
  explicit KernelChoice(const char* k) {
    if (k != nullptr) setenv(std::string(k) == "forward" ? "NVFP4_QUANTIZE_ORDER" : "NVFP4_QUANTIZE_KERNEL", k, 1);
  }
  ~KernelChoice() {
    unsetenv("NVFP4_QUANTIZE_KERNEL");
    unsetenv("NVFP4_QUANTIZE_ORDER");
  }
};

// two passes (amax, then blocks) with one host synchronization at the end: what quantize() does
void BM_Quantize(benchmark::State& st, QuantSpec spec, const char* kernel) {
  const int64_t rows = st.range(0), cols = st.range(1);
  KernelChoice choice(kernel);
  auto x = random_device(rows * cols, 3);
  gpu::DeviceQuantized q;
  Events ev;
  for (auto _ : st) st.SetIterationTime(ev.ms([&] { gpu::quantize_into(x.get(), rows, cols, spec, q); }) / 1e3);
  const double in = static_cast<double>(rows * cols) * 4, out = static_cast<double>(q.codes.size() + q.scales.size());
  // fp16 has no amax pass (its one pass also checks for NaN/Inf): it reads the input once
  const double reads = spec.scheme == Scheme::FP16 ? 1.0 : 2.0;
  st.counters["GBps_min_bytes"] = benchmark::Counter((in + out) * st.iterations(), benchmark::Counter::kIsRate);
  st.counters["GBps_moved"] = benchmark::Counter((reads * in + out) * st.iterations(), benchmark::Counter::kIsRate);
}

// one pass with the amax known in advance (delayed scaling)
void BM_QuantizeKnownAmax(benchmark::State& st, QuantSpec spec, const char* kernel) {
  const int64_t rows = st.range(0), cols = st.range(1);
  KernelChoice choice(kernel);
  auto x = random_device(rows * cols, 3);
  gpu::DeviceQuantized q;
  gpu::quantize_into(x.get(), rows, cols, spec, q);  // allocates once
  const float amax = 1.7f * 2.0f;  // an upper bound of |x| (fill_random): delayed scaling uses a recorded amax
  Events ev;
  for (auto _ : st)
    st.SetIterationTime(ev.ms([&] { gpu::quantize_with_amax(x.get(), rows, cols, spec, amax, q); }) / 1e3);
  const double bytes = static_cast<double>(rows * cols) * 4 + static_cast<double>(q.codes.size() + q.scales.size());
  st.counters["GBps_min_bytes"] = benchmark::Counter(bytes * st.iterations(), benchmark::Counter::kIsRate);
}

struct GemmSetup {
  int64_t m, n, k;
  gpu::DeviceQuantized a, b;
  // sa / sb: the operands' schemes (B's block follows A's when both are block scaled, as the GEMM needs)
  GemmSetup(int64_t m_, int64_t n_, int64_t k_, Scheme sa = Scheme::NVFP4, Scheme sb = Scheme::NVFP4)
      : m(m_), n(n_), k(k_) {
    const QuantSpec s = QuantSpec::defaults_for(sa);
    QuantSpec w = QuantSpec::defaults_for(sb);
    if (has_block_scale(sa) && has_block_scale(sb)) w.block = s.block;
    auto xa = random_device(m * k, 10), xb = random_device(n * k, 11);
    a = gpu::quantize(xa.get(), m, k, s);
    b = gpu::quantize(xb.get(), n, k, w);
  }
  double flops() const { return 2.0 * m * n * k; }
};

void set_flops(benchmark::State& st, double flops) {
  st.counters["TFLOPs"] = benchmark::Counter(flops * st.iterations() / 1e12, benchmark::Counter::kIsRate);
}

// The GEMM kernel alone; other schemes than nvfp4 x nvfp4 run the general exact CUDA-core path (cuda/gemm_generic.cu).
void BM_GemmKernel(benchmark::State& st, const char* policy, Scheme sa = Scheme::NVFP4, Scheme sb = Scheme::NVFP4) {
  GemmSetup g(st.range(0), st.range(1), st.range(2), sa, sb);
  const gpu::PreparedGemm p = gpu::prepare_gemm(g.a, g.b);
  gpu::DeviceBuffer<float> d(static_cast<size_t>(g.m * g.n), "D");
  const AccumPolicy pol = AccumPolicy::parse(policy);
  Events ev;
  for (auto _ : st) st.SetIterationTime(ev.ms([&] { gpu::run_gemm(p, pol, d.get()); }) / 1e3);
  set_flops(st, g.flops());
}

// The tuning variants of the fp32-seq kernel (cuda/gemm.cu, NVFP4_GEMM_VARIANT).
void BM_GemmVariant(benchmark::State& st, const char* variant) {
  setenv("NVFP4_GEMM_VARIANT", variant, 1);
  BM_GemmKernel(st, "fp32-seq");
  unsetenv("NVFP4_GEMM_VARIANT");
}

// end to end from quantized operands: operand expansion + MMA kernel
void BM_GemmEndToEnd(benchmark::State& st) {
  GemmSetup g(st.range(0), st.range(1), st.range(2));
  gpu::DeviceBuffer<float> d(static_cast<size_t>(g.m * g.n), "D");
  const AccumPolicy pol = AccumPolicy::parse("fp32-seq");
  gpu::PreparedGemm p = gpu::prepare_gemm(g.a, g.b);
  Events ev;
  for (auto _ : st)
    st.SetIterationTime(ev.ms([&] {
                          gpu::prepare_gemm_into(g.a, g.b, p);
                          gpu::run_gemm(p, pol, d.get());
                        }) / 1e3);
  set_flops(st, g.flops());
}

struct Cublas {
  cublasHandle_t h{};
  Cublas() {
    if (cublasCreate(&h) != CUBLAS_STATUS_SUCCESS) throw Error("cublasCreate failed");
  }
  ~Cublas() { cublasDestroy(h); }
};

// cuBLAS BF16 GEMM, row-major D (m x n) = A (m x k) x B (n x k)^T as column-major D^T = B^T... (TN), fp32 accumulate.
void BM_CublasBf16(benchmark::State& st) {
  const int64_t m = st.range(0), n = st.range(1), k = st.range(2);
  gpu::DeviceBuffer<__nv_bfloat16> a(static_cast<size_t>(m * k), "A bf16"), b(static_cast<size_t>(n * k), "B bf16"),
      d(static_cast<size_t>(m * n), "D bf16");
  {
    auto fa = random_device(m * k, 10), fb = random_device(n * k, 11);
    to_bf16<<<132 * 16, 256>>>(fa.get(), a.get(), m * k);
    to_bf16<<<132 * 16, 256>>>(fb.get(), b.get(), n * k);
    NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
  }
  Cublas cb;
  const float alpha = 1.0f, beta = 0.0f;
  Events ev;
  for (auto _ : st)
    st.SetIterationTime(ev.ms([&] {
                          cublasGemmEx(cb.h, CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(n), static_cast<int>(m),
                                       static_cast<int>(k), &alpha, b.get(), CUDA_R_16BF, static_cast<int>(k), a.get(),
                                       CUDA_R_16BF, static_cast<int>(k), &beta, d.get(), CUDA_R_16BF,
                                       static_cast<int>(n), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
                        }) / 1e3);
  set_flops(st, 2.0 * m * n * k);
}

// The usual emulation: dequantize both operands (block scales folded, exact in fp16), then cuBLAS fp16 -> fp32.
void BM_DequantCublas(benchmark::State& st) {
  GemmSetup g(st.range(0), st.range(1), st.range(2));
  gpu::DeviceBuffer<float> d(static_cast<size_t>(g.m * g.n), "D");
  Cublas cb;
  gpu::PreparedGemm p = gpu::prepare_gemm(g.a, g.b);
  const float beta = 0.0f;
  Events ev;
  for (auto _ : st)
    st.SetIterationTime(ev.ms([&] {
                          gpu::prepare_gemm_into(g.a, g.b, p);
                          const float alpha = p.tensor_scale_product;
                          cublasGemmEx(cb.h, CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(g.n), static_cast<int>(g.m),
                                       static_cast<int>(g.k), &alpha, p.b16.get(), CUDA_R_16F,
                                       static_cast<int>(p.k_pad), p.a16.get(), CUDA_R_16F, static_cast<int>(p.k_pad),
                                       &beta, d.get(), CUDA_R_32F, static_cast<int>(g.n), CUBLAS_COMPUTE_32F,
                                       CUBLAS_GEMM_DEFAULT);
                        }) / 1e3);
  set_flops(st, g.flops());
}

// 8192^3 and the projection shapes of a 2048-token Llama-3.2-1B prefill (q/o: 2048x2048x2048, ffn up/gate:
// 2048x8192x2048, ffn down: 2048x2048x8192).
void gemm_shapes(benchmark::internal::Benchmark* b) {
  b->Args({8192, 8192, 8192})->Args({2048, 2048, 2048})->Args({2048, 8192, 2048})->Args({2048, 2048, 8192});
  b->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
}

}  // namespace

BENCHMARK(BM_CopyD2D)->Apply(quantize_shapes);
BENCHMARK_CAPTURE(BM_Quantize, nvfp4_te_1d, QuantSpec::defaults_for(Scheme::NVFP4), nullptr)->Apply(quantize_shapes);
BENCHMARK_CAPTURE(BM_Quantize, nvfp4_te_1d_forward, QuantSpec::defaults_for(Scheme::NVFP4), "forward")
    ->Apply(quantize_shapes);
BENCHMARK_CAPTURE(BM_QuantizeKnownAmax, nvfp4_te_1d, QuantSpec::defaults_for(Scheme::NVFP4), nullptr)
    ->Apply(quantize_shapes);
BENCHMARK_CAPTURE(BM_QuantizeKnownAmax, nvfp4_te_1d_vec_kernel, QuantSpec::defaults_for(Scheme::NVFP4), "vec")
    ->Args({16384, 16384})->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
BENCHMARK_CAPTURE(BM_Quantize, mxfp4_floor, QuantSpec::defaults_for(Scheme::MXFP4), nullptr)
    ->Args({16384, 16384})->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
BENCHMARK_CAPTURE(BM_QuantizeKnownAmax, mxfp4_floor, QuantSpec::defaults_for(Scheme::MXFP4), nullptr)
    ->Args({16384, 16384})->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
BENCHMARK_CAPTURE(BM_Quantize, fp16, QuantSpec::defaults_for(Scheme::FP16), nullptr)
    ->Args({16384, 16384})->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
BENCHMARK(BM_CublasBf16)->Apply(gemm_shapes);
BENCHMARK_CAPTURE(BM_GemmKernel, fp32_seq, "fp32-seq")->Apply(gemm_shapes);
BENCHMARK(BM_GemmEndToEnd)->Apply(gemm_shapes);
BENCHMARK(BM_DequantCublas)->Apply(gemm_shapes);
// the default fp32-seq kernel on sm_90 is the warp-specialized wgmma kernel with the tile shape chosen per problem
// (variant 2); both shapes and the mma.sync kernels for comparison
BENCHMARK_CAPTURE(BM_GemmVariant, fp32_seq_wgmma_128x128, "3")->Apply(gemm_shapes);
BENCHMARK_CAPTURE(BM_GemmVariant, fp32_seq_wgmma_192x128, "4")->Apply(gemm_shapes);
BENCHMARK_CAPTURE(BM_GemmVariant, fp32_seq_wgmma_one_tile_per_cta, "5")->Apply(gemm_shapes);
BENCHMARK_CAPTURE(BM_GemmVariant, fp32_seq_wgmma_persistent, "6")->Apply(gemm_shapes);
BENCHMARK_CAPTURE(BM_GemmVariant, fp32_seq_mma_sync_2cta, "1")->Apply(gemm_shapes);
BENCHMARK_CAPTURE(BM_GemmVariant, fp32_seq_mma_sync_1cta, "0")->Args({8192, 8192, 8192})
    ->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
BENCHMARK_CAPTURE(BM_GemmKernel, blackwell_mma, "blackwell-mma")->Args({8192, 8192, 8192})->Args({2048, 8192, 2048})
    ->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
BENCHMARK_CAPTURE(BM_GemmKernel, fixed_32_16, "fixed:32:16")->Args({8192, 8192, 8192})->Args({2048, 8192, 2048})
    ->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2);
#define NVFP4_BENCH_GENERIC(name, sa, sb, policy)                                                     \
  BENCHMARK_CAPTURE(BM_GemmKernel, name, policy, Scheme::sa, Scheme::sb)->Args({2048, 2048, 2048}) \
      ->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(0.2)
NVFP4_BENCH_GENERIC(nvfp4_x_fp8_fp32_seq, NVFP4, FP8, "fp32-seq");
NVFP4_BENCH_GENERIC(nvfp4_x_fp16_fp32_seq, NVFP4, FP16, "fp32-seq");
NVFP4_BENCH_GENERIC(nvfp4_x_int4_fp32_seq, NVFP4, INT4, "fp32-seq");
NVFP4_BENCH_GENERIC(nvfp4_x_fp8_fixed_32_16, NVFP4, FP8, "fixed:32:16");
NVFP4_BENCH_GENERIC(fp4_x_fp4_blackwell_mma, FP4, FP4, "blackwell-mma");

int main(int argc, char** argv) {
  std::string why;
  if (!gpu::device_present(&why)) {
    std::printf("SKIP: bench_cuda needs a CUDA GPU (%s)\n", why.c_str());
    return 0;
  }
  const gpu::DeviceInfo d = gpu::device_info();
  std::printf("device: %s sm_%d%d, %d SMs, driver %d\n", d.name.c_str(), d.cc_major, d.cc_minor, d.multiprocessors,
              d.driver_version);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
