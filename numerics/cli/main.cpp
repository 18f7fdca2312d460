// nvfp4: quantize tensors to NVFP4 and friends, dequantize, run the golden block-scaled GEMM, inspect quantized
// tensors, and a demo. Every failure prints "error: ..." on stderr and exits with status 2, writing no output file.
#include <CLI/CLI.hpp>
#include <iostream>
#include <vector>

#include "numerics/cli/commands.hpp"
#include "numerics/error.hpp"
#include "numerics/version.hpp"

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

// A clearer message than CLI11's for the two commonest slips: an unknown command and an unknown option.
std::string explain(const CLI::App& app, const std::vector<nvfp4::cli::Command>& commands, int argc, char** argv,
                    const CLI::ParseError& e) {
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const auto& c : commands) {
      known = known || c.app->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + c.app->get_name();
    }
    if (!known) return "unknown command '" + std::string(argv[1]) + "' (commands: " + names + ")";
  }
  for (const auto& c : commands) {
    if (!c.app->parsed()) continue;
    const std::vector<std::string> extra = c.app->remaining();
    if (!extra.empty())
      return "nvfp4 " + c.app->get_name() + ": unexpected argument(s): " + joined(extra) + " (see 'nvfp4 " +
             c.app->get_name() + " --help')";
    return "nvfp4 " + c.app->get_name() + ": " + e.what() + " (see 'nvfp4 " + c.app->get_name() + " --help')";
  }
  (void)app;
  return std::string(e.what()) + " (see 'nvfp4 --help')";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nvfp4: bit-exact NVFP4/MXFP4 quantization, golden block-scaled GEMM and tensor inspection.\n"
               "Tensors are NumPy .npy files (float32/float16/float64, or bfloat16 bits as uint16); quantized\n"
               "tensors are .npz files (members listed in docs/cli.md).",
               "nvfp4"};
  app.set_version_flag("--version", std::string(nvfp4::version()));
  app.require_subcommand(1);
  app.footer("Run 'nvfp4 <command> --help' for a command's options. Examples:\n"
             "  nvfp4 demo\n"
             "  nvfp4 quantize x.npy -o x.q.npz --scheme nvfp4 --recipe te\n"
             "  nvfp4 inspect x.q.npz --input x.npy\n"
             "  nvfp4 gemm x.npy w.npy -o d.npy --accum fixed:32:8\n"
             "  nvfp4 dequantize x.q.npz -o x.dq.npy\n"
             "Errors print 'error: ...' and exit with status 2; no output file is left behind.");
  const std::vector<nvfp4::cli::Command> commands = {
      nvfp4::cli::add_quantize_command(app), nvfp4::cli::add_dequantize_command(app),
      nvfp4::cli::add_gemm_command(app), nvfp4::cli::add_inspect_command(app), nvfp4::cli::add_demo_command(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << explain(app, commands, argc, argv, e) << "\n";
    return 2;
  }
  try {
    for (const auto& c : commands)
      if (c.app->parsed()) c.run();
  } catch (const nvfp4::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: internal: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
