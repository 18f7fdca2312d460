// The one function the libFuzzer target (fuzz_npy_target.cpp) and the corpus replay test share: parse `bytes` as a
// .npz when it starts with the zip magic "PK", else as a .npy. Returns true when it parsed, false when the parser
// refused it with nvfp4::Error; any other exception propagates (a bug).
#pragma once
#include <cstddef>
#include <cstdint>

#include "numerics/error.hpp"
#include "numerics/io/npz_memory.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::fuzz {

inline bool parse_one(const uint8_t* bytes, size_t n) {
  try {
    if (n >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
      const auto arrays = npz_detail::parse_npz(bytes, n, "fuzz.npz");
      for (const auto& [k, a] : arrays) (void)to_float32(a, true);  // exercise the float view too
    } else {
      const NpyArray a = parse_npy(bytes, n, "fuzz.npy");
      if (a.dtype == "<f4" || a.dtype == "<f2" || a.dtype == "<f8" || a.dtype == "<u2") (void)to_float32(a, true);
    }
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace nvfp4::fuzz
