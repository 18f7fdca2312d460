// nvfp4 demo: the main job. Quantizes built-in sample tensors in every scheme, runs the golden GEMM under every
// accumulation policy and prints a short report (storage cost, SQNR vs float, agreement between policies, timing).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "numerics/cli/commands.hpp"
#include "numerics/cli/error_metrics.hpp"
#include "numerics/cli/sample_data.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"
#include "numerics/seed.hpp"
#include "numerics/version.hpp"

namespace nvfp4::cli {
namespace {

struct DemoArgs {
  int64_t m = 64, n = 128, k = 1024;
  uint64_t seed = 2024;
  std::string seed_text = "2024";  // --seed as typed (parse_seed: the one seed range)
  int threads = 1;
  std::string save_dir;
};

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

QuantSpec spec_of(Scheme s, Recipe r = Recipe::None, Rounding rounding = Rounding::RN) {
  QuantSpec q = QuantSpec::defaults_for(s);
  if (r != Recipe::None) q.recipe = r;
  q.rounding = rounding;
  q.seed = rounding == Rounding::SR ? 1 : 0;
  return q;
}

std::vector<double> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t m, int64_t n,
                               int64_t k) {
  std::vector<double> d(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < k; ++p) s += static_cast<double>(a[i * k + p]) * static_cast<double>(b[j * k + p]);
      d[i * n + j] = s;
    }
  return d;
}

uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

void run_demo(const DemoArgs& a) {
  int64_t mn = 0, mnk = 0;
  if (a.m < 1 || a.n < 1 || a.k < 1 || __builtin_mul_overflow(a.m, a.n, &mn) ||
      __builtin_mul_overflow(mn, a.k, &mnk) || mnk > (int64_t{1} << 31))
    throw Error("demo: --m, --n, --k must be >= 1 with m*n*k <= 2^31 (the float64 reference GEMM is naive)");
  const auto t_start = Clock::now();
  const std::vector<float> x = sample_activations(a.m, a.k, a.seed);
  const std::vector<float> w = sample_weights(a.n, a.k, a.seed);
  const std::vector<double> d_ref = float_gemm(x, w, a.m, a.n, a.k);
  const std::vector<int64_t> outliers = outlier_channels(a.k);
  const double macs = static_cast<double>(a.m * a.n * a.k);

  std::printf("nvfp4 %s demo: quantize a built-in sample, then the golden block-scaled GEMM D = A x B^T\n",
              std::string(version()).c_str());
  std::printf("  A  %lld x %lld activations ~ N(0, 1), channels %lld, %lld, %lld are x%g outliers (seed %llu)\n",
              static_cast<long long>(a.m), static_cast<long long>(a.k), static_cast<long long>(outliers[0]),
              static_cast<long long>(outliers[1]), static_cast<long long>(outliers[2]),
              static_cast<double>(kOutlierGain), static_cast<unsigned long long>(a.seed));
  std::printf("  B  %lld x %lld weights ~ N(0, %g^2); D = %lld x %lld, %.1f M MACs; SQNR is vs float64 math on the "
              "unquantized values\n\n",
              static_cast<long long>(a.n), static_cast<long long>(a.k), static_cast<double>(kWeightSigma),
              static_cast<long long>(a.m), static_cast<long long>(a.n), macs * 1e-6);

  // 1. Every scheme on both operands.
  std::printf("1. Quantization (A and B separately)\n");
  std::printf("   %-28s %10s %11s %11s %10s\n", "spec", "bits/elem", "SQNR A", "SQNR B", "time A+B");
  const std::vector<QuantSpec> specs = {
      spec_of(Scheme::NVFP4, Recipe::TE),    spec_of(Scheme::NVFP4, Recipe::TE, Rounding::SR),
      spec_of(Scheme::NVFP4, Recipe::TorchAO), spec_of(Scheme::MXFP4, Recipe::Floor),
      spec_of(Scheme::MXFP4, Recipe::RCeil), spec_of(Scheme::INT4),
      spec_of(Scheme::FP4Tensor),            spec_of(Scheme::FP4),
      spec_of(Scheme::FP8),                  spec_of(Scheme::FP16)};
  for (const QuantSpec& s : specs) {
    const auto t0 = Clock::now();
    const QuantizedTensor qa = quantize(x.data(), a.m, a.k, s);
    const QuantizedTensor qb = quantize(w.data(), a.n, a.k, s);
    const double ms = ms_since(t0);
    std::printf("   %-28s %10.4f %11s %11s %7.2f ms\n", s.describe().c_str(), bits_per_element(s, a.m, a.k),
                format_db(error_metrics(x, dequantize(qa)).sqnr_db).c_str(),
                format_db(error_metrics(w, dequantize(qb)).sqnr_db).c_str(), ms);
  }

  // 2. NVFP4 operands under every accumulation policy.
  const QuantSpec nv = spec_of(Scheme::NVFP4, Recipe::TE);
  const QuantizedTensor qa = quantize(x.data(), a.m, a.k, nv);
  const QuantizedTensor qb = quantize(w.data(), a.n, a.k, nv);
  std::printf("\n2. Golden GEMM on %s operands, by accumulation policy\n", nv.describe().c_str());
  std::printf("   %-15s %11s %22s %10s %9s\n", "accumulation", "SQNR D", "bits equal fp32-seq", "time", "GMAC/s");
  std::vector<float> d_seq;
  for (const char* name : {"fp32-seq", "blackwell-mma", "fixed:32:8", "fixed:24:0", "fixed:32:16"}) {
    const AccumPolicy policy = AccumPolicy::parse(name);
    std::vector<float> d(static_cast<size_t>(a.m * a.n));
    const auto t0 = Clock::now();
    gemm_into(qa, qb, policy, d.data(), a.threads);
    const double ms = ms_since(t0);
    if (d_seq.empty()) d_seq = d;
    size_t same = 0;
    for (size_t i = 0; i < d.size(); ++i) same += bits_of(d[i]) == bits_of(d_seq[i]) ? 1 : 0;
    std::printf("   %-15s %11s %13zu / %-6zu %7.2f ms %9.3f\n", policy.name().c_str(),
                format_db(error_metrics(d_ref, d).sqnr_db).c_str(), same, d.size(), ms, macs / (ms * 1e-3) * 1e-9);
    if (!a.save_dir.empty()) {
      std::string file = "d_" + std::string(name) + ".npy";  // d_fp32-seq.npy, d_fixed_32_8.npy
      std::replace(file.begin(), file.end(), ':', '_');
      write_npy(a.save_dir + "/" + file, from_float32(d, {a.m, a.n}));
    }
  }
  std::printf("   blackwell-mma is a third-party model (microsoft/MMA-Sim, arXiv 2511.10909), not NVIDIA's word.\n");
  std::printf("   fixed:W:F = W-bit saturating two's-complement accumulator with F fractional bits (block terms\n"
              "   floored to F bits); too few integer bits saturate, too few fraction bits truncate.\n");
  std::printf("   D[0][0..3] (fp32-seq): ");
  for (int64_t j = 0; j < std::min<int64_t>(4, a.n); ++j)
    std::printf("%.7g (0x%08x)  ", static_cast<double>(d_seq[j]), bits_of(d_seq[j]));
  std::printf("\n");

  // 3. Weight formats beside NVFP4 activations (and MXFP4 / FP4-tensor activations), fp32-seq accumulation.
  std::printf("\n3. GEMM by operand formats (fp32-seq)\n");
  std::printf("   %-22s %-22s %11s %12s\n", "A", "B", "SQNR D", "bits/elem B");
  QuantSpec int4_b16 = spec_of(Scheme::INT4);
  int4_b16.block = 16;  // block sizes of A and B must match
  const std::vector<std::pair<QuantSpec, QuantSpec>> pairs = {
      {nv, nv},
      {nv, spec_of(Scheme::FP8)},
      {nv, spec_of(Scheme::FP16)},
      {nv, int4_b16},
      {spec_of(Scheme::MXFP4, Recipe::Floor), spec_of(Scheme::MXFP4, Recipe::Floor)},
      {spec_of(Scheme::FP4Tensor), spec_of(Scheme::FP4Tensor)}};
  for (const auto& [sa, sb] : pairs) {
    std::string result;
    try {
      const std::vector<float> d =
          gemm(quantize(x.data(), a.m, a.k, sa), quantize(w.data(), a.n, a.k, sb), AccumPolicy::parse("fp32-seq"));
      result = format_db(error_metrics(d_ref, d).sqnr_db);
    } catch (const Error& e) {
      result = "n/a";  // a pair the golden GEMM does not define
      std::fprintf(stderr, "note: %s\n", e.what());
    }
    std::printf("   %-22s %-22s %11s %12.4f\n", sa.describe().c_str(), sb.describe().c_str(), result.c_str(),
                bits_per_element(sb, a.n, a.k));
  }

  if (!a.save_dir.empty()) {
    write_npy(a.save_dir + "/a.npy", from_float32(x, {a.m, a.k}));
    write_npy(a.save_dir + "/b.npy", from_float32(w, {a.n, a.k}));
    save_quantized(a.save_dir + "/a.q.npz", qa);
    save_quantized(a.save_dir + "/b.q.npz", qb);
    std::printf("\nsaved a.npy, b.npy, a.q.npz, b.q.npz and d_<policy>.npy in %s\n", a.save_dir.c_str());
  }
  std::printf("\ntotal %.1f ms. Next: 'nvfp4 --help', docs/cli.md.\n", ms_since(t_start));
}

}  // namespace

Command add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand("demo", "Quantize a built-in sample and run the golden GEMM under every "
                                             "accumulation policy; print a short report");
  cmd->add_option("--m", args->m, "Rows of A (activations)")->capture_default_str();
  cmd->add_option("--n", args->n, "Rows of B (weights, stored N x K)")->capture_default_str();
  cmd->add_option("--k", args->k, "Reduction dimension K")->capture_default_str();
  cmd->add_option("--seed", args->seed_text, "Seed of the sample tensors, 0 .. 4294967295")->capture_default_str();
  cmd->add_option("--threads", args->threads, "GEMM threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--save-dir", args->save_dir,
                  "Also write the sample and its results there (a.npy, b.npy, a.q.npz, b.q.npz, d_*.npy)");
  return {cmd, [args] {
    args->seed = parse_seed(args->seed_text, "--seed");
    if (!args->save_dir.empty() && !std::filesystem::is_directory(args->save_dir))
      throw Error("--save-dir " + args->save_dir + ": not a directory");
    run_demo(*args);
  }};
}

}  // namespace nvfp4::cli
