// The subcommands of `nvfp4`, one file each. Each adds itself to the app with its options and returns the function
// that runs it. main() runs it only after the whole command line parsed cleanly (no unknown options left), so a
// rejected command line never writes a file. Errors are thrown as nvfp4::Error and reported by main().
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace nvfp4::cli {

struct Command {
  CLI::App* app;
  std::function<void()> run;
};

Command add_quantize_command(CLI::App& app);
Command add_dequantize_command(CLI::App& app);
Command add_gemm_command(CLI::App& app);
Command add_inspect_command(CLI::App& app);
Command add_demo_command(CLI::App& app);

}  // namespace nvfp4::cli
