// Command-line options shared by several subcommands: the quantization spec and the input dtype.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "numerics/quant_spec.hpp"

namespace nvfp4::cli {

// --scheme, --recipe, --block, --block-2d, --rounding, --seed, --nonfinite. An empty recipe / block means "the
// scheme's default" (QuantSpec::defaults_for); a given --block is checked like any value (--block 0 is an error).
struct QuantOptions {
  std::string scheme = "nvfp4";
  std::string recipe;
  std::string block;
  bool block_2d = false;
  std::string rounding = "rn";
  std::string seed = "0";  // parsed by parse_seed (numerics/seed.hpp): one range everywhere
  std::string nonfinite = "refuse";

  QuantSpec spec() const;  // validated; throws nvfp4::Error naming the bad option
};
void add_quant_options(CLI::App& cmd, QuantOptions& o);

// --dtype auto|bf16: how to read float inputs ("bf16": a <u2 array holds bfloat16 bits).
void add_dtype_option(CLI::App& cmd, std::string& dtype);

}  // namespace nvfp4::cli
