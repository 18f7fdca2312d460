// nvfp4-inject: inject SRAM faults into a quantized tensor file through a protection layout and SECDED, write the
// faulty tensor (.npz) and a JSON report. Usage: docs/ecc.md ("nvfp4-inject"); `nvfp4-inject --help`.
#include <cstdio>
#include <exception>
#include <iostream>

#include "ecc/cli/inject_command.hpp"
#include "numerics/error.hpp"

int main(int argc, char** argv) {
  try {
    return nvfp4::ecc::cli::run_inject(argc, argv, std::cout);
  } catch (const nvfp4::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
