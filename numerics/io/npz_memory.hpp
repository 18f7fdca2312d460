// Internal: .npz parsing from memory (the fuzz target and the corpus replay test use it; read_npz reads the file).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "numerics/npy.hpp"

namespace nvfp4::npz_detail {

std::map<std::string, NpyArray> parse_npz(const uint8_t* bytes, size_t n, const std::string& name_for_errors);

}  // namespace nvfp4::npz_detail
