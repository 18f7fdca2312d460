#include "numerics/quant/scale_layout.hpp"

#include <string>

#include "numerics/ceil_div.hpp"
#include "numerics/error.hpp"

namespace nvfp4 {
namespace {

int64_t round_up(int64_t v, int64_t m) { return ceil_div(v, m) * m; }

// Byte offset of scale (r, c) in the tiled buffer whose padded width is `padded_cols`.
int64_t tiled_offset(int64_t r, int64_t c, int64_t padded_cols) {
  const int64_t tiles_per_row = padded_cols / 4;
  const int64_t tile = (r / 128) * tiles_per_row + c / 4;
  const int64_t rr = r % 128, cc = c % 4;
  return tile * 512 + (rr % 32) * 16 + (rr / 32) * 4 + cc;
}

void check_shape(int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0)
    throw Error("scale layout: shape " + std::to_string(rows) + " x " + std::to_string(cols) + " must be positive");
}

}  // namespace

std::vector<uint8_t> scales_to_128x4_tiles(const std::vector<uint8_t>& scales, int64_t rows, int64_t cols) {
  check_shape(rows, cols);
  if (scales.size() != static_cast<size_t>(rows * cols))
    throw Error("scale layout: " + std::to_string(scales.size()) + " scales for a " + std::to_string(rows) + " x " +
                std::to_string(cols) + " scale matrix");
  const int64_t prow = round_up(rows, 128), pcol = round_up(cols, 4);
  std::vector<uint8_t> out(static_cast<size_t>(prow * pcol), 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      out[static_cast<size_t>(tiled_offset(r, c, pcol))] = scales[static_cast<size_t>(r * cols + c)];
  return out;
}

std::vector<uint8_t> scales_from_128x4_tiles(const std::vector<uint8_t>& tiled, int64_t rows, int64_t cols) {
  check_shape(rows, cols);
  const int64_t prow = round_up(rows, 128), pcol = round_up(cols, 4);
  if (tiled.size() != static_cast<size_t>(prow * pcol))
    throw Error("scale layout: tiled buffer has " + std::to_string(tiled.size()) + " bytes, a " +
                std::to_string(rows) + " x " + std::to_string(cols) + " scale matrix needs " +
                std::to_string(prow * pcol));
  std::vector<uint8_t> out(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      out[static_cast<size_t>(r * cols + c)] = tiled[static_cast<size_t>(tiled_offset(r, c, pcol))];
  return out;
}

std::vector<uint8_t> cublas_tiled_scales(const QuantizedTensor& q) {
  if (scale_bytes(q.spec.scheme) != 1)
    throw Error("scale layout: the 128x4 tiled layout is for one-byte block scales (nvfp4, mxfp4), not '" +
                std::string(to_string(q.spec.scheme)) + "'");
  if (q.spec.block_2d) throw Error("scale layout: the 128x4 tiled layout is for 1-D blocks, not 16 x 16 tiles");
  return scales_to_128x4_tiles(q.scales, q.rows, q.blocks_per_row());
}

}  // namespace nvfp4
