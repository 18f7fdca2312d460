// nvfp4 inspect FILE: block statistics, storage cost and (given the float input) quantization error.
#include <algorithm>
#include <cstdio>
#include <cmath>
#include <memory>
#include <optional>

#include "numerics/cli/block_stats.hpp"
#include "numerics/cli/commands.hpp"
#include "numerics/cli/error_metrics.hpp"
#include "numerics/cli/operand.hpp"
#include "numerics/cli/options.hpp"
#include "numerics/error.hpp"
#include "numerics/quantize.hpp"

namespace nvfp4::cli {
namespace {

struct InspectArgs {
  std::string file, input, dtype = "auto";
  int histogram_rows = 16;
  QuantOptions quant;
};

const char* scale_format(Scheme s) {
  switch (s) {
    case Scheme::NVFP4: return "UE4M3";
    case Scheme::MXFP4: return "UE8M0";
    case Scheme::INT4: return "FP16";
    default: return "none";
  }
}

void print_histogram(const BlockStats& st, Scheme scheme, int max_rows) {
  if (st.scale_codes.empty()) return;
  // The most frequent codes, shown in code order.
  std::vector<std::pair<uint32_t, ScaleBin>> bins(st.scale_codes.begin(), st.scale_codes.end());
  std::stable_sort(bins.begin(), bins.end(), [](const auto& x, const auto& y) { return x.second.count > y.second.count; });
  const size_t shown = std::min(bins.size(), static_cast<size_t>(std::max(1, max_rows)));
  const int64_t top = bins.front().second.count;
  bins.resize(shown);
  std::sort(bins.begin(), bins.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::printf("scale codes    %zu distinct %s codes%s\n", st.scale_codes.size(), scale_format(scheme),
              shown < st.scale_codes.size() ? " (most frequent shown)" : "");
  for (const auto& [code, bin] : bins) {
    const int bar = static_cast<int>((bin.count * 30 + top - 1) / top);
    std::printf("  0x%0*x = %-12.6g %9lld  %5.1f%%  %s\n", scheme == Scheme::INT4 ? 4 : 2, code,
                static_cast<double>(bin.value), static_cast<long long>(bin.count),
                100.0 * static_cast<double>(bin.count) / static_cast<double>(st.blocks), std::string(bar, '#').c_str());
  }
}

void run_inspect(const InspectArgs& a) {
  const QuantSpec spec = a.quant.spec();
  Operand op = load_operand(a.file, spec, a.dtype);
  std::optional<FloatMatrix> reference = op.floats;
  if (!a.input.empty()) {
    if (reference) throw Error("--input is for a quantized .npz; " + a.file + " is already the float input");
    reference = load_float_matrix(a.input, a.dtype);
    if (reference->rows != op.q.rows || reference->cols != op.q.cols)
      throw Error("shape mismatch: " + a.input + " is " + std::to_string(reference->rows) + " x " +
                  std::to_string(reference->cols) + " but " + a.file + " holds " + std::to_string(op.q.rows) + " x " +
                  std::to_string(op.q.cols));
  }
  const QuantizedTensor& q = op.q;
  const std::vector<float> deq = dequantize(q);
  const BlockStats st = block_stats(q, deq, reference ? &reference->values : nullptr);
  const int64_t n = q.rows * q.cols;

  std::printf("file           %s%s\n", a.file.c_str(), op.floats ? " (float input, quantized in memory)" : "");
  std::printf("spec           %s, seed %llu\n", q.spec.describe().c_str(), static_cast<unsigned long long>(q.spec.seed));
  std::printf("shape          %lld x %lld (rows x K), %lld elements\n", static_cast<long long>(q.rows),
              static_cast<long long>(q.cols), static_cast<long long>(n));
  std::printf("storage        %.4f bits/element (%d-bit codes, %s block scales, fp32 tensor scale)\n",
              bits_per_element(q.spec, q.rows, q.cols), code_bits(q.spec.scheme), scale_format(q.spec.scheme));
  std::printf("tensor scale   %.9g\n", static_cast<double>(q.tensor_scale));
  std::printf("blocks         %lld of %s; zero blocks %lld (%.2f%%)\n", static_cast<long long>(st.blocks),
              st.block_shape.c_str(), static_cast<long long>(st.zero_blocks),
              100.0 * static_cast<double>(st.zero_blocks) / static_cast<double>(st.blocks));
  const int64_t nonfinite = std::count_if(deq.begin(), deq.end(), [](float v) { return !std::isfinite(v); });
  if (nonfinite > 0)  // e.g. a scale made NaN by injected faults (nvfp4-inject): NaN propagates as in the hardware
    std::printf("non-finite     %lld values decode to NaN/Inf (%.3f%%); the statistics below skip them\n",
                static_cast<long long>(nonfinite), 100.0 * static_cast<double>(nonfinite) / static_cast<double>(n));
  const auto& am = st.block_amax;
  std::printf("block amax     min %.6g  p50 %.6g  p99 %.6g  max %.6g (of dequantized values)\n",
              static_cast<double>(am.front()), static_cast<double>(am[am.size() / 2]),
              static_cast<double>(am[std::min(am.size() - 1, am.size() * 99 / 100)]), static_cast<double>(am.back()));
  std::printf("max code       %lld elements (%.3f%%) at |code value| = %g (the block amax maps there)\n",
              static_cast<long long>(st.at_max_code), 100.0 * static_cast<double>(st.at_max_code) / static_cast<double>(n),
              static_cast<double>(st.saturation_level));
  if (st.clipped >= 0)
    std::printf("saturated      %lld elements (%.3f%%) clipped: |input| beyond the largest value of their block\n",
                static_cast<long long>(st.clipped), 100.0 * static_cast<double>(st.clipped) / static_cast<double>(n));
  print_histogram(st, q.spec.scheme, a.histogram_rows);
  if (reference) {
    const ErrorMetrics e = error_metrics(reference->values, deq);
    std::printf("error vs %s: MSE %.6g, SQNR %s, max |error| %.6g at [%lld, %lld]\n", reference->path.c_str(), e.mse,
                format_db(e.sqnr_db).c_str(), e.max_abs, static_cast<long long>(e.max_at / q.cols),
                static_cast<long long>(e.max_at % q.cols));
  }
}

}  // namespace

Command add_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Block statistics, storage cost and quantization error of a quantized tensor");
  cmd->add_option("file", args->file, "Quantized .npz, or a float .npy to quantize in memory with the options below")
      ->required();
  cmd->add_option("--input", args->input, "The float .npy the .npz was quantized from: adds MSE and SQNR");
  cmd->add_option("--histogram-rows", args->histogram_rows, "Scale-code histogram lines (most frequent codes)")
      ->capture_default_str();
  add_quant_options(*cmd, args->quant);
  add_dtype_option(*cmd, args->dtype);
  cmd->footer("SQNR = 10 log10( sum x^2 / sum (x - dequantize(q))^2 ).\n"
              "Examples: nvfp4 inspect w.q.npz --input w.npy\n"
              "          nvfp4 inspect w.npy --scheme mxfp4");
  return {cmd, [args] { run_inspect(*args); }};
}

}  // namespace nvfp4::cli
