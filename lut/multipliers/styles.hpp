// Factories of the multiplier styles, one per file in this folder; lut/multiplier.cpp picks one by name.
#pragma once
#include <cstdint>
#include <memory>
#include <span>

#include "lut/multiplier.hpp"

namespace nvfp4::lut {

std::unique_ptr<LaneMultiplier> make_mantissa_lut(WeightFormat w);
std::unique_ptr<LaneMultiplier> make_split_lut(WeightFormat w, int slice_bits);
std::unique_ptr<LaneMultiplier> make_full_product_lut(WeightFormat w);
std::unique_ptr<LaneMultiplier> make_array_multiplier(WeightFormat w);
// The table styles reading a stored copy of their table (entries in lut/tables.hpp's index layout and values).
std::unique_ptr<LaneMultiplier> make_mantissa_lut(WeightFormat w, std::span<const int64_t> entries);
std::unique_ptr<LaneMultiplier> make_split_lut(WeightFormat w, int slice_bits, std::span<const int64_t> entries);
std::unique_ptr<LaneMultiplier> make_full_product_lut(WeightFormat w, std::span<const int64_t> entries);

}  // namespace nvfp4::lut
