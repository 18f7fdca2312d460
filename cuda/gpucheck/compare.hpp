// Raw-bit comparison of GPU and CPU golden outputs: counts differing elements, remembers the first one with both values,
// and refuses trivially equal outputs (every element zero) so an unwritten buffer cannot pass.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::gpucheck {

struct CompareResult {
  std::string what;          // e.g. "layer0.q A codes"
  int64_t elements = 0;
  int64_t mismatches = 0;
  int64_t nonzero = 0;       // elements whose golden bits are not all zero
  std::string first;         // "[i][j]: gpu 0x.. (v) cpu 0x.. (v)" of the first mismatch
  bool trivially_zero() const { return elements > 0 && nonzero == 0; }
  bool pass() const { return mismatches == 0; }
};

// Elements are compared as raw bits; `cols` (> 0) turns linear indices into [row][col] in messages.
CompareResult compare_bytes(const std::string& what, const std::vector<uint8_t>& gpu, const std::vector<uint8_t>& cpu,
                            int64_t cols);
CompareResult compare_floats(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                             int64_t cols);
// 4-bit codes, two per byte, rows of `row_stride` bytes: reports element indices [row][col], not byte offsets.
CompareResult compare_nibbles(const std::string& what, const std::vector<uint8_t>& gpu, const std::vector<uint8_t>& cpu,
                              int64_t rows, int64_t cols);

}  // namespace nvfp4::gpucheck
