// The im2col lowering (numerics/workload.hpp) as runs of whole pixels, for every lowering that copies rows of an NHWC
// feature map: the float one (im2col) and the quantized one (quantized_operand.cpp). One definition of which input
// pixels each output row reads, in which order.
#pragma once
#include <algorithm>
#include <cstdint>

#include "numerics/workload.hpp"

namespace nvfp4::workload::detail {

// For each lowered row m in [m0, m1) (rows in order: batch, output y, output x) and filter row, left to right:
// zeros(n) for n padding pixels, pixels(p, n) for n consecutive input pixels starting at NHWC pixel index p (each
// pixel = C values). Every row gets filter_h x filter_w pixels in all.
template <class Pixels, class Zeros>
void for_each_lowered_run(const Layer& l, int64_t m0, int64_t m1, Pixels&& pixels, Zeros&& zeros) {
  const ConvShape& c = l.conv;
  const int64_t S = c.filter_w;
  for (int64_t m = m0; m < m1; ++m) {
    const int64_t b = m / (c.ofmap_h * c.ofmap_w), oy = m / c.ofmap_w % c.ofmap_h, ox = m % c.ofmap_w;
    // Filter columns s whose input column ix = x0 + s is inside the map: one contiguous run of pixels per filter
    // row; the rest of the row is zero (padding).
    const int64_t x0 = ox * c.stride - c.padding;
    const int64_t s0 = std::max<int64_t>(0, -x0), s1 = std::min<int64_t>(S, c.ifmap_w - x0);
    for (int64_t r = 0; r < c.filter_h; ++r) {
      const int64_t iy = oy * c.stride + r - c.padding;
      if (s0 >= s1 || iy < 0 || iy >= c.ifmap_h) {
        zeros(S);
        continue;
      }
      if (s0 > 0) zeros(s0);
      pixels((b * c.ifmap_h + iy) * c.ifmap_w + x0 + s0, s1 - s0);
      if (S > s1) zeros(S - s1);
    }
  }
}

// Every lowered row.
template <class Pixels, class Zeros>
void for_each_lowered_run(const Layer& l, Pixels&& pixels, Zeros&& zeros) {
  for_each_lowered_run(l, 0, l.M, pixels, zeros);
}

}  // namespace nvfp4::workload::detail
