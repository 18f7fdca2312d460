// nvfp4 dequantize IN.npz -o OUT.npy: quantized-tensor file -> float32 .npy (code * block scale * tensor scale).
#include <cstdio>
#include <memory>

#include "numerics/cli/commands.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"

namespace nvfp4::cli {
namespace {

struct DequantizeArgs {
  std::string input, output;
};

void run_dequantize(const DequantizeArgs& a) {
  const QuantizedTensor q = load_quantized(a.input);
  write_npy(a.output, from_float32(dequantize(q), {q.rows, q.cols}));
  std::printf("%s (%s, %lld x %lld) -> %s (<f4)\n", a.input.c_str(), q.spec.describe().c_str(),
              static_cast<long long>(q.rows), static_cast<long long>(q.cols), a.output.c_str());
}

}  // namespace

Command add_dequantize_command(CLI::App& app) {
  auto args = std::make_shared<DequantizeArgs>();
  CLI::App* cmd = app.add_subcommand("dequantize", "Decode a quantized-tensor .npz into a float32 .npy");
  cmd->add_option("input", args->input, "Quantized-tensor file (.npz, from 'nvfp4 quantize')")->required();
  cmd->add_option("-o,--output", args->output, "Float32 .npy to write, shape (rows, K)")->required();
  cmd->footer("Each value is fp32(fp32(code * block scale) * tensor scale), as NVFP4_SPEC.md defines.\n"
              "Example: nvfp4 dequantize w.q.npz -o w.dq.npy");
  return {cmd, [args] { run_dequantize(*args); }};
}

}  // namespace nvfp4::cli
