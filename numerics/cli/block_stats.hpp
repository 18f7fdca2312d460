// Per-block statistics of a quantized tensor, for `nvfp4 inspect`: block amax, zero blocks, saturated elements and
#pragma once
// the histogram of block-scale codes. Blocks are the scale blocks (1 x B or 16 x 16); for schemes without a block
// scale, groups of 1 x 16 along K.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "numerics/quantized_tensor.hpp"

namespace nvfp4::cli {

struct ScaleBin {
  int64_t count = 0;
  float value = 0;  // decoded scale
};

struct BlockStats {
  std::string block_shape;          // "1 x 16", "16 x 16", "1 x 16 (groups; no block scale)"
  int64_t blocks = 0;
  int64_t zero_blocks = 0;          // every element decodes to 0
  std::vector<float> block_amax;    // max |dequantized value| per block, sorted ascending
  float saturation_level = 0;       // largest element magnitude of the format (6, 448, 7, 65504)
  int64_t at_max_code = 0;          // elements whose code magnitude is that level
  int64_t clipped = -1;             // of those, inputs beyond it (|x| > |dequantized|); -1 without the input
  std::map<uint32_t, ScaleBin> scale_codes;  // raw block-scale code -> count, decoded value
};

// `dequantized` is dequantize(q) (rows x cols); `input` (or nullptr) the float tensor q was quantized from.
BlockStats block_stats(const QuantizedTensor& q, const std::vector<float>& dequantized,
                       const std::vector<float>* input);

}  // namespace nvfp4::cli
