// The one seed range of the project (docs/cli.md, "Seeds"): every seed a user gives (nvfp4 --seed, nvfp4-inject
// --seed, nvfp4sim workload.seed and run.fault_seed, nvfp4-dse sweep seed) is an integer in [0, kSeedMax]. 32 bits,
// because the Python side (NumPy, Optuna) takes no more; tools derive wider keys from it themselves. The Python
// package asks kSeedMax through the bindings (nvfp4_native.SEED_MAX, scripts/nvfp4dse/seeds.py): defined here only.
#pragma once
#include <charconv>
#include <system_error>
#include <cstdint>
#include <string>

#include "numerics/error.hpp"

namespace nvfp4 {

inline constexpr uint64_t kSeedMax = 0xFFFFFFFF;

// "what" names the option or key in the message: "--seed", "workload.seed".
inline uint64_t parse_seed(const std::string& text, const std::string& what) {
  uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v > kSeedMax)
    throw Error(what + ": '" + text + "' is not a seed (an integer in [0, " + std::to_string(kSeedMax) + "])");
  return v;
}

}  // namespace nvfp4
