// nvfp4 gemm A B -o D.npy: the golden block-scaled GEMM D = A x B^T (NVFP4_SPEC.md section 5).
#include <chrono>
#include <cstdio>
#include <memory>

#include "numerics/cli/commands.hpp"
#include "numerics/cli/error_metrics.hpp"
#include "numerics/cli/operand.hpp"
#include "numerics/cli/options.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/memory_budget.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::cli {
namespace {

struct GemmArgs {
  std::string a, b, output, accum = "fp32-seq", dtype = "auto";
  int threads = 1;
  bool compare_float = false;
  QuantOptions quant;
};

std::string dims(const QuantizedTensor& q) { return std::to_string(q.rows) + " x " + std::to_string(q.cols); }

// D_ref = A x B^T of the unquantized float inputs, in double.
std::vector<double> float_gemm(const FloatMatrix& a, const FloatMatrix& b) {
  std::vector<double> d(static_cast<size_t>(a.rows * b.rows));
  for (int64_t m = 0; m < a.rows; ++m)
    for (int64_t n = 0; n < b.rows; ++n) {
      double s = 0;
      for (int64_t k = 0; k < a.cols; ++k)
        s += static_cast<double>(a.values[m * a.cols + k]) * static_cast<double>(b.values[n * b.cols + k]);
      d[m * b.rows + n] = s;
    }
  return d;
}

void run_gemm(const GemmArgs& g) {
  const AccumPolicy policy = AccumPolicy::parse(g.accum);
  if (g.threads < 0) throw Error("--threads must be >= 0 (0 = all cores)");
  const QuantSpec spec = g.quant.spec();
  const Operand a = load_operand(g.a, spec, g.dtype);
  const Operand b = load_operand(g.b, spec, g.dtype);
  if (a.q.cols != b.q.cols)
    throw Error("shape mismatch: A (" + g.a + ") is M x K = " + dims(a.q) + " but B (" + g.b + ") is N x K = " +
                dims(b.q) + "; D = A x B^T needs the same K (B is stored N x K, i.e. transposed)");
  if (g.compare_float && (!a.floats || !b.floats))
    throw Error("--compare-float needs both A and B as float .npy files");

  const int64_t outputs = checked_product({a.q.rows, b.q.rows}, "gemm: D = M x N");
  check_memory_budget(4.0 * static_cast<double>(outputs) * (g.compare_float ? 3 : 1),
                      "gemm: D of " + std::to_string(a.q.rows) + " x " + std::to_string(b.q.rows));
  std::vector<float> d(static_cast<size_t>(outputs));
  const auto t0 = std::chrono::steady_clock::now();
  gemm_into(a.q, b.q, policy, d.data(), g.threads);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_npy(g.output, from_float32(d, {a.q.rows, b.q.rows}));

  const double macs = static_cast<double>(a.q.rows) * static_cast<double>(b.q.rows) * static_cast<double>(a.q.cols);
  std::printf("D = A x B^T: A %s (%s), B %s (%s) -> D %lld x %lld in %s; accum %s; %.3f s, %.3f GMAC/s\n",
              dims(a.q).c_str(), a.q.spec.describe().c_str(), dims(b.q).c_str(), b.q.spec.describe().c_str(),
              static_cast<long long>(a.q.rows), static_cast<long long>(b.q.rows), g.output.c_str(),
              policy.name().c_str(), s, s > 0 ? macs / s * 1e-9 : 0.0);
  if (g.compare_float) {
    const ErrorMetrics e = error_metrics(float_gemm(*a.floats, *b.floats), d);
    std::printf("vs the float GEMM of the unquantized inputs: SQNR %s, MSE %.6g, max |error| %.6g\n",
                format_db(e.sqnr_db).c_str(), e.mse, e.max_abs);
  }
}

}  // namespace

Command add_gemm_command(CLI::App& app) {
  auto args = std::make_shared<GemmArgs>();
  CLI::App* cmd = app.add_subcommand("gemm", "Golden block-scaled GEMM D = A x B^T, written as a float32 .npy");
  cmd->add_option("a", args->a, "A: M x K, a quantized .npz or a float .npy (quantized with the options below)")
      ->required();
  cmd->add_option("b", args->b, "B: N x K (transposed: K is contiguous in both), .npz or .npy")->required();
  cmd->add_option("-o,--output", args->output, "D: M x N float32 .npy to write")->required();
  cmd->add_option("--accum", args->accum,
                  "Accumulation: fp32-seq (fp32 adds in block order), blackwell-mma (third-party model of Blackwell "
                  "block-scaled MMA after microsoft/MMA-Sim), fixed:W or fixed:W:F (W-bit saturating fixed point "
                  "with F fractional bits; F = W/2 by default)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Threads (0 = all cores); the bits do not depend on it")
      ->capture_default_str();
  cmd->add_flag("--compare-float", args->compare_float,
                "Also print the SQNR of D against the double-precision GEMM of the float inputs (both .npy)");
  add_quant_options(*cmd, args->quant);
  add_dtype_option(*cmd, args->dtype);
  cmd->footer("Quantization options apply to the operands given as float .npy; a .npz operand keeps its own\n"
              "spec (quantize B separately for a different weight format, e.g. --scheme fp8).\n"
              "Example: nvfp4 gemm x.npy w.q.npz -o d.npy --accum blackwell-mma");
  return {cmd, [args] { run_gemm(*args); }};
}

}  // namespace nvfp4::cli
