// The four SRAM banks of the design, in a fixed order (their names are column prefixes of layers.csv).
#pragma once
#include <array>
#include <string_view>

namespace nvfp4::sim {

enum class BankId : int { Activations = 0, Weights = 1, Scales = 2, Outputs = 3 };
inline constexpr int kBankCount = 4;
inline constexpr std::array<std::string_view, kBankCount> kBankNames = {"activations", "weights", "scales", "outputs"};

}  // namespace nvfp4::sim
