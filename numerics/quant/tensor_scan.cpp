#include "numerics/quant/tensor_scan.hpp"

#include <cmath>
#include <cstring>
#include <string>

#include "numerics/error.hpp"

namespace nvfp4::detail {
namespace {

constexpr uint32_t kInfBits = 0x7F800000u;

// Max of the magnitude bits of n floats. For non-negative floats the bit pattern order is the value order, and
// NaN patterns lie above Inf, so a result >= kInfBits flags a non-finite value somewhere in the span.
uint32_t span_max_bits(const float* x, int64_t n) {
  uint32_t m = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t b;
    std::memcpy(&b, x + i, sizeof b);
    b &= 0x7FFFFFFFu;
    m = b > m ? b : m;
  }
  return m;
}

float bits_to_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

[[noreturn]] void refuse(const float* row, int64_t r, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    if (!std::isfinite(row[c])) {
      const std::string what = std::isnan(row[c]) ? "NaN" : (row[c] > 0 ? "+Inf" : "-Inf");
      throw Error("quantize: input element [" + std::to_string(r) + ", " + std::to_string(c) + "] (linear index " +
                  std::to_string(r * cols + c) + ") is " + what +
                  "; non-finite inputs are refused (enable follow_hardware_on_nonfinite to apply the hardware rules)");
    }
  }
  throw Error("quantize: internal error locating a non-finite input");
}

}  // namespace

void check_shape(int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0)
    throw Error("quantize: shape " + std::to_string(rows) + " x " + std::to_string(cols) + " must be positive");
}

float span_amax(const float* x, int64_t n) {
  uint32_t m = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t b;
    std::memcpy(&b, x + i, sizeof b);
    b &= 0x7FFFFFFFu;
    b = b > kInfBits ? 0u : b;  // NaN ignored
    m = b > m ? b : m;
  }
  return bits_to_float(m);
}

float tensor_amax(const float* x, int64_t rows, int64_t cols, bool follow_hardware, int64_t r0) {
  uint32_t m = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    uint32_t rm = span_max_bits(row, cols);
    if (rm >= kInfBits) {
      if (!follow_hardware) refuse(row, r0 + r, cols);
      const float finite_or_inf_max = span_amax(row, cols);
      std::memcpy(&rm, &finite_or_inf_max, sizeof rm);
    }
    m = rm > m ? rm : m;
  }
  return bits_to_float(m);
}

void check_finite(const float* x, int64_t rows, int64_t cols, bool follow_hardware, int64_t r0) {
  if (follow_hardware) return;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    if (span_max_bits(row, cols) >= kInfBits) refuse(row, r0 + r, cols);
  }
}

}  // namespace nvfp4::detail
