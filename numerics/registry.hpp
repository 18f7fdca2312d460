// numerics/'s registries (docs/DEVELOPING.md, "Registries"): schemes, recipes, roundings and accumulation policies,
// in order. A separate header because it is C++20 (std::span) while numerics/gemm.hpp and quant_spec.hpp are also
// compiled by nvcc in C++17.
#pragma once
#include <span>
#include <string_view>
#include <vector>

#include "numerics/gemm.hpp"
#include "numerics/quant_spec.hpp"

namespace nvfp4 {

// recipes_for(s) is the recipes a scheme accepts (its default first).
std::span<const Scheme> all_schemes();
std::span<const Recipe> all_recipes();
std::span<const Rounding> all_roundings();
std::vector<Recipe> recipes_for(Scheme s);

// The accumulation-policy registry (docs/DEVELOPING.md, "Registries"): one row per Kind, in enum order. The CPU
// kernels, the CUDA kernels (their template parameter is AccumPolicy::Kind), lut/'s engine and the simulator use it.
struct AccumPolicyInfo {
  AccumPolicy::Kind kind;
  std::string_view name;     // "fp32-seq", "blackwell-mma", "fixed"
  std::string_view syntax;   // how it is written: "fp32-seq", "fixed:W[:F]"
  std::string_view summary;
};
std::span<const AccumPolicyInfo> accum_policies();

}  // namespace nvfp4
