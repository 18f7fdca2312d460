#include "cuda/gpucheck/compare.hpp"

#include <cstdio>
#include <cstring>

namespace nvfp4::gpucheck {
namespace {

std::string index_text(int64_t i, int64_t cols) {
  if (cols <= 0) return "[" + std::to_string(i) + "]";
  return "[" + std::to_string(i / cols) + "][" + std::to_string(i % cols) + "]";
}

std::string hex(uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", digits, v);
  return buf;
}

std::string float_text(float f) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
  return buf;
}

}  // namespace

CompareResult compare_bytes(const std::string& what, const std::vector<uint8_t>& gpu, const std::vector<uint8_t>& cpu,
                            int64_t cols) {
  CompareResult r;
  r.what = what;
  r.elements = static_cast<int64_t>(cpu.size());
  if (gpu.size() != cpu.size()) {
    r.mismatches = 1;
    r.first = "sizes differ: gpu " + std::to_string(gpu.size()) + " bytes, cpu " + std::to_string(cpu.size());
    return r;
  }
  for (size_t i = 0; i < cpu.size(); ++i) {
    if (cpu[i] != 0) ++r.nonzero;
    if (gpu[i] != cpu[i]) {
      if (r.mismatches++ == 0)
        r.first = index_text(static_cast<int64_t>(i), cols) + ": gpu " + hex(gpu[i], 2) + " cpu " + hex(cpu[i], 2);
    }
  }
  return r;
}

CompareResult compare_floats(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                             int64_t cols) {
  CompareResult r;
  r.what = what;
  r.elements = static_cast<int64_t>(cpu.size());
  if (gpu.size() != cpu.size()) {
    r.mismatches = 1;
    r.first = "sizes differ: gpu " + std::to_string(gpu.size()) + " values, cpu " + std::to_string(cpu.size());
    return r;
  }
  for (size_t i = 0; i < cpu.size(); ++i) {
    uint32_t g, c;
    std::memcpy(&g, &gpu[i], 4);
    std::memcpy(&c, &cpu[i], 4);
    if (c != 0) ++r.nonzero;
    if (g != c && r.mismatches++ == 0)
      r.first = index_text(static_cast<int64_t>(i), cols) + ": gpu " + hex(g, 8) + " (" + float_text(gpu[i]) +
                ") cpu " + hex(c, 8) + " (" + float_text(cpu[i]) + ")";
  }
  return r;
}

CompareResult compare_nibbles(const std::string& what, const std::vector<uint8_t>& gpu, const std::vector<uint8_t>& cpu,
                              int64_t rows, int64_t cols) {
  CompareResult r;
  r.what = what;
  r.elements = rows * cols;
  const int64_t stride = (cols + 1) / 2;
  if (gpu.size() != cpu.size() || static_cast<int64_t>(cpu.size()) != rows * stride) {
    r.mismatches = 1;
    r.first = "sizes differ: gpu " + std::to_string(gpu.size()) + " bytes, cpu " + std::to_string(cpu.size()) +
              ", expected " + std::to_string(rows * stride);
    return r;
  }
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      const size_t at = static_cast<size_t>(i * stride + j / 2);
      const int sh = (j & 1) ? 4 : 0;
      const uint32_t g = (gpu[at] >> sh) & 0xF, c = (cpu[at] >> sh) & 0xF;
      if (c != 0) ++r.nonzero;
      if (g != c && r.mismatches++ == 0)
        r.first = "[" + std::to_string(i) + "][" + std::to_string(j) + "]: gpu " + hex(g, 1) + " cpu " + hex(c, 1);
    }
  // pad nibbles of odd rows must match too (they are part of the file format)
  if (cols % 2 == 1)
    for (int64_t i = 0; i < rows; ++i) {
      const size_t at = static_cast<size_t>(i * stride + stride - 1);
      if ((gpu[at] >> 4) != (cpu[at] >> 4) && r.mismatches++ == 0)
        r.first = "pad nibble of row " + std::to_string(i) + ": gpu " + hex(gpu[at] >> 4, 1) + " cpu " +
                  hex(cpu[at] >> 4, 1);
    }
  return r;
}

}  // namespace nvfp4::gpucheck
