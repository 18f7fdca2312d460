#include "numerics/cli/options.hpp"

#include <charconv>

#include "numerics/error.hpp"
#include "numerics/seed.hpp"

namespace nvfp4::cli {

namespace {

// Prefixes the library's message (which lists the accepted names) with the option it came from.
template <typename F>
auto option_value(const char* option, F parse) {
  try {
    return parse();
  } catch (const Error& e) {
    throw Error(std::string(option) + ": " + e.what());
  }
}

// A block size as typed: an integer (range checks are QuantSpec::validate's, which names the accepted sizes).
int parse_block(const std::string& text) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < 1)
    throw Error("'" + text + "' is not a block size (1, 2, 4, ..., 256)");
  return v;
}

}  // namespace

QuantSpec QuantOptions::spec() const {
  QuantSpec s = QuantSpec::defaults_for(option_value("--scheme", [&] { return parse_scheme(scheme); }));
  if (!recipe.empty()) s.recipe = option_value("--recipe", [&] { return parse_recipe(recipe); });
  if (!block.empty()) s.block = option_value("--block", [&] { return parse_block(block); });
  s.block_2d = block_2d;
  s.rounding = option_value("--rounding", [&] { return parse_rounding(rounding); });
  s.seed = parse_seed(seed, "--seed");
  s.follow_hardware_on_nonfinite = nonfinite == "hardware";
  s.validate();
  return s;
}

void add_quant_options(CLI::App& cmd, QuantOptions& o) {
  cmd.add_option("--scheme", o.scheme, "Element/scale format: nvfp4 mxfp4 fp4 fp4-tensor fp8 fp16 int4")
      ->capture_default_str();
  cmd.add_option("--recipe", o.recipe,
                 "Scale recipe: nvfp4: te (default) torchao modelopt cutlass; mxfp4: floor (default) rceil; "
                 "others: none");
  cmd.add_option("--block", o.block, "Elements per block along K: 1, 2, 4, ..., 256 (default: nvfp4 16, mxfp4 32, "
                                     "int4 32)");
  cmd.add_flag("--block-2d", o.block_2d, "One scale per 16 x 16 tile (weights); needs --block 16");
  cmd.add_option("--rounding", o.rounding, "rn (nearest even) or sr (stochastic, Philox4x32-10 keyed by --seed)")
      ->capture_default_str();
  cmd.add_option("--seed", o.seed, "Seed of stochastic rounding, 0 .. 4294967295")->capture_default_str();
  cmd.add_option("--nonfinite", o.nonfinite,
                 "NaN/Inf inputs: refuse (error naming the first one) or hardware (saturate as the hardware does)")
      ->check(CLI::IsMember({"refuse", "hardware"}))
      ->capture_default_str();
}

void add_dtype_option(CLI::App& cmd, std::string& dtype) {
  cmd.add_option("--dtype", dtype,
                 "Float input dtype: auto (the file's <f4, <f2 or <f8) or bf16 (a <u2 array of bfloat16 bits)")
      ->check(CLI::IsMember({"auto", "bf16"}))
      ->capture_default_str();
}

}  // namespace nvfp4::cli
