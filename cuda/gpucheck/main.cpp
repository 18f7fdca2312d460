// nvfp4-gpucheck: the GPU against the CPU golden model, bit for bit (docs/cuda.md). For each layer: quantize A and B
// on both (codes, scales, tensor scale), dequantize A on both, then the block-scaled GEMM for every policy.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <tuple>

#include "cuda/gpu.hpp"
#include "cuda/gpucheck/compare.hpp"
#include "cuda/gpucheck/options.hpp"
#include "cuda/gpucheck/replay.hpp"
#include "cuda/gpucheck/report.hpp"
#include "cuda/gpucheck/workload.hpp"
#include "cuda/native.hpp"
#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::gpucheck {
namespace {

struct Layer {
  std::string name;
  int64_t m, n, k;
  std::vector<float> a, b;
};

std::string file_safe(const std::string& s) {
  std::string o = s;
  for (char& c : o)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) c = '_';
  return o;
}

// Wall time of `fn` (which must synchronize), median of `repeat` runs after one warm-up.
template <typename F>
double median_ms(int repeat, F&& fn) {
  fn();
  std::vector<double> t;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// Rows of A compared with the golden GEMM: all, or first/last 8 and evenly spaced ones.
std::vector<int64_t> golden_rows(const Options& o, int64_t m, int64_t n, int64_t k) {
  std::vector<int64_t> rows;
  if (m * n * k <= o.golden_macs || m <= o.golden_rows) {
    for (int64_t i = 0; i < m; ++i) rows.push_back(i);
    return rows;
  }
  for (int64_t i = 0; i < 8; ++i) rows.push_back(i), rows.push_back(m - 1 - i);
  const int64_t rest = o.golden_rows - 16;
  for (int64_t i = 0; i < rest; ++i) rows.push_back(8 + (m - 16) * i / rest);
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

// The rows `rows` of a 1-D-blocked quantized tensor (codes and scales sliced; spec and tensor scale kept).
QuantizedTensor slice_rows(const QuantizedTensor& q, const std::vector<int64_t>& rows) {
  if (q.spec.block_2d) throw Error("internal: row sampling needs 1-D blocks for A");
  QuantizedTensor s = q;
  s.rows = static_cast<int64_t>(rows.size());
  const int64_t cs = q.row_stride_bytes(), ss = q.scales.empty() ? 0 : q.blocks_per_row();
  s.codes.assign(static_cast<size_t>(s.rows * cs), 0);
  s.scales.assign(static_cast<size_t>(s.rows * ss), 0);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(&s.codes[i * cs], &q.codes[rows[i] * cs], cs);
    if (ss) std::memcpy(&s.scales[i * ss], &q.scales[rows[i] * ss], ss);
  }
  return s;
}

void add_check(LayerReport& lr, CompareResult c) {
  const bool ok = c.pass() && !c.trivially_zero();
  std::printf("  %-40s %s", c.what.c_str(), ok ? "equal" : "MISMATCH");
  if (!c.pass())
    std::printf(" (%lld of %lld differ; first %s)", static_cast<long long>(c.mismatches),
                static_cast<long long>(c.elements), c.first.c_str());
  else if (c.trivially_zero())
    std::printf(" (every golden element is zero: the comparison proves nothing)");
  else
    std::printf(" (%lld elements)", static_cast<long long>(c.elements));
  std::printf("\n");
  lr.checks.push_back(std::move(c));
}

std::vector<uint8_t> float_bytes(float f) {
  std::vector<uint8_t> v(4);
  std::memcpy(v.data(), &f, 4);
  return v;
}

void run_layer(const Options& o, const Layer& L, RunReport& rep) {
  LayerReport lr;
  lr.name = L.name;
  lr.m = L.m;
  lr.n = L.n;
  lr.k = L.k;
  std::printf("%s: M=%lld N=%lld K=%lld\n", L.name.c_str(), static_cast<long long>(L.m),
              static_cast<long long>(L.n), static_cast<long long>(L.k));

  gpu::DeviceBuffer<float> da(L.a.size(), "A input"), db(L.b.size(), "B input");
  da.upload(L.a);
  db.upload(L.b);

  // quantize: GPU (timed) and golden
  gpu::DeviceQuantized ga = gpu::quantize(da.get(), L.m, L.k, o.spec_a);
  gpu::DeviceQuantized gb = gpu::quantize(db.get(), L.n, L.k, o.spec_b);
  lr.quantize_ms = median_ms(o.repeat, [&] { (void)gpu::quantize(da.get(), L.m, L.k, o.spec_a); });
  lr.quantize_gbps = static_cast<double>(L.m * L.k) * 4.0 / (lr.quantize_ms * 1e6);
  const QuantizedTensor ha = ga.download(), hb = gb.download();
  const QuantizedTensor ca = nvfp4::quantize(L.a.data(), L.m, L.k, o.spec_a);
  const QuantizedTensor cb = nvfp4::quantize(L.b.data(), L.n, L.k, o.spec_b);
  for (const auto& [name, gq, cq] : {std::tuple<const char*, const QuantizedTensor*, const QuantizedTensor*>{"A", &ha, &ca},
                                      {"B", &hb, &cb}}) {
    const std::string n(name);
    if (code_bits(cq->spec.scheme) == 4) {
      add_check(lr, compare_nibbles(n + " codes", gq->codes, cq->codes, cq->rows, L.k));
    } else {  // fp8: one byte per element; fp16: two (positions are [row][byte])
      const int64_t row_bytes = code_bits(cq->spec.scheme) == 16 ? 2 * L.k : L.k;
      add_check(lr, compare_bytes(n + " codes", gq->codes, cq->codes, row_bytes));
    }
    if (!cq->scales.empty()) add_check(lr, compare_bytes(n + " block scales", gq->scales, cq->scales, cq->blocks_per_row()));
  }
  add_check(lr, compare_bytes("A tensor scale", float_bytes(ha.tensor_scale), float_bytes(ca.tensor_scale), 0));
  add_check(lr, compare_bytes("B tensor scale", float_bytes(hb.tensor_scale), float_bytes(cb.tensor_scale), 0));

  // dequantize A
  {
    gpu::DeviceBuffer<float> out(static_cast<size_t>(L.m * L.k), "dequantized A");
    gpu::dequantize(ga, out.get());
    NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
    add_check(lr, compare_floats("A dequantized", out.download(), nvfp4::dequantize(ca), L.k));
  }

  if (!o.out_dir.empty() && !npz_supported()) {
    std::fprintf(stderr, "note: %s: quantized operands not written (.npz needs libzip in this build)\n", L.name.c_str());
  } else if (!o.out_dir.empty()) {
    save_quantized(o.out_dir + "/" + file_safe(L.name) + ".a.npz", ha);
    save_quantized(o.out_dir + "/" + file_safe(L.name) + ".b.npz", hb);
  }

  if (!o.no_gemm) {
    const std::vector<int64_t> rows = golden_rows(o, L.m, L.n, L.k);
    lr.golden_rows_checked = static_cast<int64_t>(rows.size());
    const QuantizedTensor ca_rows = rows.size() == static_cast<size_t>(L.m) ? ca : slice_rows(ca, rows);
    gpu::PreparedGemm g = gpu::prepare_gemm(ga, gb);
    lr.prepare_ms = median_ms(o.repeat, [&] {
      (void)gpu::prepare_gemm(ga, gb);
      NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
    });
    gpu::DeviceBuffer<float> dd(static_cast<size_t>(L.m * L.n), "GEMM output");
    for (const AccumPolicy& p : o.policies) {
      gpu::require_gpu_gemm_support(o.spec_a, o.spec_b, p);
      NVFP4_CUDA_CHECK(cudaMemset(dd.get(), 0xFF, dd.size() * sizeof(float)));  // poison: unwritten = NaN pattern
      gpu::run_gemm(g, p, dd.get());
      NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
      const std::string kernel = "gemm " + gpu::last_gemm_kernel();
      if (std::find(rep.kernels.begin(), rep.kernels.end(), kernel) == rep.kernels.end()) rep.kernels.push_back(kernel);
      const std::vector<float> d = dd.download();
      lr.gemm_ms.emplace_back(p.name(), median_ms(o.repeat, [&] {
                                gpu::run_gemm(g, p, dd.get());
                                NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
                              }));
      std::vector<float> golden(static_cast<size_t>(ca_rows.rows * L.n));
      nvfp4::gemm_into(ca_rows, cb, p, golden.data(), 0);
      std::vector<float> gsel(golden.size());
      for (size_t i = 0; i < rows.size(); ++i)
        std::memcpy(&gsel[i * L.n], &d[rows[i] * L.n], L.n * sizeof(float));
      CompareResult c = compare_floats("D " + p.name() + (rows.size() < static_cast<size_t>(L.m)
                                                              ? " (" + std::to_string(rows.size()) + " sampled rows)"
                                                              : ""),
                                       gsel, golden, L.n);
      if (!c.pass() && rows.size() < static_cast<size_t>(L.m)) {
        // translate the sampled row back to the row of D
        const size_t lb = c.first.find('['), rb = c.first.find(']');
        if (lb == 0 && rb != std::string::npos) {
          const int64_t sr = std::stoll(c.first.substr(1, rb - 1));
          c.first = "[" + std::to_string(rows[sr]) + "]" + c.first.substr(rb + 1);
        }
      }
      add_check(lr, std::move(c));
      if (!o.out_dir.empty()) write_npy(o.out_dir + "/" + file_safe(L.name) + ".d." + p.name() + ".npy",
                                        from_float32(d, {L.m, L.n}));
    }
    if (o.native) {
      gpu::native_gemm_nvfp4_cublaslt(ga, gb, dd.get());
      NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
      std::vector<float> golden(static_cast<size_t>(L.m * L.n));
      nvfp4::gemm_into(ca, cb, AccumPolicy::parse("blackwell-mma"), golden.data(), 0);
      add_check(lr, compare_floats("D cuBLASLt NVFP4 vs blackwell-mma", dd.download(), golden, L.n));
    }
  }
  rep.layers.push_back(std::move(lr));
}

int run(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, o)) return 0;
  if (!o.replay_dir.empty()) {
    RunReport rep;
    if (!run_replay(o, rep)) return 0;
    if (!o.out_dir.empty()) {
      std::filesystem::create_directories(o.out_dir);
      write_report_json(o.out_dir + "/report.json", rep);
    }
    std::printf("%s: %lld checks, %lld failed\n", rep.pass() ? "PASS" : "FAIL", static_cast<long long>(rep.checks()),
                static_cast<long long>(rep.failed_checks()));
    return rep.pass() ? 0 : 1;
  }
  // Inputs first: bad files and options are reported on any machine, GPU or not.
  if (!o.no_gemm)
    for (const AccumPolicy& p : o.policies) gpu::require_gpu_gemm_support(o.spec_a, o.spec_b, p);
  gpu::require_gpu_quantize_support(o.spec_a);
  gpu::require_gpu_quantize_support(o.spec_b);
  std::vector<Layer> layers;
  std::vector<workload::Layer> workload_layers;
  std::string workload_dir;
  if (!o.workload.empty()) {
    workload_layers = workload::read_csv(o.workload);
    workload_dir = std::filesystem::path(o.workload).parent_path().string();
    for (const workload::Layer& l : workload_layers) {
      workload::check_layer_sources(l, o.activations, o.weights, workload_dir);
      layers.push_back(Layer{l.name, l.M, l.N, l.K, {}, {}});
    }
  } else {
    FloatTensor a = read_float_tensor(o.a_path), b = read_float_tensor(o.b_path);
    if (a.cols != b.cols)
      throw Error("reduction dimensions differ: A '" + o.a_path + "' is " + std::to_string(a.rows) + " x " +
                  std::to_string(a.cols) + ", B '" + o.b_path + "' is " + std::to_string(b.rows) + " x " +
                  std::to_string(b.cols) + " (both must be rows x K)");
    layers.push_back(Layer{o.name, a.rows, b.rows, a.cols, std::move(a.data), std::move(b.data)});
  }
  std::string why;
  if (!gpu::device_present(&why)) {
    if (o.skip_without_gpu) {
      std::printf("SKIP: no CUDA GPU on this machine (%s); nothing was checked\n", why.c_str());
      return 0;
    }
    throw Error("no CUDA GPU: " + why);
  }
  if (!o.out_dir.empty()) std::filesystem::create_directories(o.out_dir);

  RunReport rep;
  rep.device = gpu::device_info();
  rep.command = o.command;
  rep.spec_a = o.spec_a.describe();
  rep.spec_b = o.spec_b.describe();
  for (const AccumPolicy& p : o.policies) rep.policies.push_back(p.name());
  rep.kernels = {"amax", "quantize (block / vec / generic / 16x16 tile / fp16)", "dequantize",
                 "gemm prepare (fp16 tiles)"};
  if (o.native) rep.kernels.push_back("cuBLASLt NVFP4 (Blackwell)");
  std::printf("device: %s (sm_%d%d, driver %d, runtime %d)\nA: %s  B: %s\n", rep.device.name.c_str(),
              rep.device.cc_major, rep.device.cc_minor, rep.device.driver_version, rep.device.runtime_version,
              rep.spec_a.c_str(), rep.spec_b.c_str());

  for (size_t i = 0; i < layers.size(); ++i) {
    Layer& L = layers[i];
    if (!o.workload.empty()) {  // the numerics core's tensors: the same as nvfp4sim's for the same (workload, seed)
      workload::LayerTensors t = workload::make_layer_tensors(workload_layers[i], static_cast<int64_t>(i),
                                                              o.activations, o.weights, workload_dir, o.data_seed);
      L.a = std::move(t.a);
      L.b = std::move(t.b);
    }
    run_layer(o, L, rep);
    L.a = {};
    L.b = {};
  }

  if (!o.out_dir.empty()) write_report_json(o.out_dir + "/report.json", rep);
  std::printf("%s: %lld checks, %lld failed\n", rep.pass() ? "PASS" : "FAIL", static_cast<long long>(rep.checks()),
              static_cast<long long>(rep.failed_checks()));
  return rep.pass() ? 0 : 1;
}

}  // namespace
}  // namespace nvfp4::gpucheck

int main(int argc, char** argv) {
  try {
    return nvfp4::gpucheck::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
