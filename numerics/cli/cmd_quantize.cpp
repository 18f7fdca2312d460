// nvfp4 quantize IN.npy -o OUT.npz: float tensor -> quantized-tensor file.
#include <chrono>
#include <cstdio>
#include <memory>

#include "numerics/cli/commands.hpp"
#include "numerics/cli/float_input.hpp"
#include "numerics/cli/options.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"

namespace nvfp4::cli {
namespace {

struct QuantizeArgs {
  std::string input, output, dtype = "auto";
  QuantOptions quant;
};

void run_quantize(const QuantizeArgs& a) {
  const QuantSpec spec = a.quant.spec();
  const FloatMatrix x = load_float_matrix(a.input, a.dtype);
  if (!spec.follow_hardware_on_nonfinite) refuse_nonfinite(x);
  const auto t0 = std::chrono::steady_clock::now();
  const QuantizedTensor q = quantize(x.values.data(), x.rows, x.cols, spec);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  save_quantized(a.output, q);
  std::printf("%s %s -> %s: %s, %lld x %lld, %.4f bits/element, tensor scale %.9g (%.2f ms)\n", a.input.c_str(),
              shape_text(x.shape).c_str(), a.output.c_str(), spec.describe().c_str(), static_cast<long long>(q.rows),
              static_cast<long long>(q.cols), bits_per_element(spec, q.rows, q.cols), q.tensor_scale, ms);
}

}  // namespace

Command add_quantize_command(CLI::App& app) {
  auto args = std::make_shared<QuantizeArgs>();
  CLI::App* cmd = app.add_subcommand("quantize", "Quantize a float .npy tensor into a quantized-tensor .npz");
  cmd->add_option("input", args->input, "Float tensor (.npy); the last dimension is the reduction dim K, leading "
                                        "dimensions are flattened into rows")
      ->required();
  cmd->add_option("-o,--output", args->output, "Quantized-tensor file to write (.npz)")->required();
  add_quant_options(*cmd, args->quant);
  add_dtype_option(*cmd, args->dtype);
  cmd->footer("Example: nvfp4 quantize w.npy -o w.q.npz --scheme nvfp4 --recipe te --block-2d");
  return {cmd, [args] { run_quantize(*args); }};
}

}  // namespace nvfp4::cli
