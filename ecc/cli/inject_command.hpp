// The nvfp4-inject command: options, validation of everything before any file is written, run, outputs.
#pragma once
#include <ostream>

namespace nvfp4::ecc::cli {

// Returns the exit status (0 on success); throws nvfp4::Error on bad input (main prints it and exits 2).
int run_inject(int argc, char** argv, std::ostream& out);

}  // namespace nvfp4::ecc::cli
