#include "numerics/cli/block_stats.hpp"

#include <algorithm>
#include <cmath>

namespace nvfp4::cli {
namespace {

float saturation_level(Scheme s) {
  switch (s) {
    case Scheme::FP8: return 448.0f;
    case Scheme::FP16: return 65504.0f;
    case Scheme::INT4: return 7.0f;
    default: return 6.0f;  // E2M1
  }
}

}  // namespace

BlockStats block_stats(const QuantizedTensor& q, const std::vector<float>& deq, const std::vector<float>* input) {
  BlockStats st;
  const bool scaled = has_block_scale(q.spec.scheme);
  const int64_t brows = scaled && q.spec.block_2d ? kBlock2dSide : 1;
  const int64_t bcols = scaled ? (q.spec.block_2d ? kBlock2dSide : q.spec.block) : 16;
  st.block_shape = std::to_string(brows) + " x " + std::to_string(bcols) + (scaled ? "" : " (groups; no block scale)");
  st.saturation_level = saturation_level(q.spec.scheme);

  if (input) st.clipped = 0;
  for (int64_t r = 0; r < q.rows; ++r)
    for (int64_t c = 0; c < q.cols; ++c) {
      if (std::fabs(q.value(r, c)) != st.saturation_level) continue;
      ++st.at_max_code;
      const size_t i = static_cast<size_t>(r * q.cols + c);
      if (input && std::fabs((*input)[i]) > std::fabs(deq[i])) ++st.clipped;
    }

  for (int64_t r0 = 0; r0 < q.rows; r0 += brows) {
    for (int64_t c0 = 0, kb = 0; c0 < q.cols; c0 += bcols, ++kb) {
      float amax = 0;
      bool all_zero = true;
      for (int64_t r = r0; r < std::min(q.rows, r0 + brows); ++r)
        for (int64_t c = c0; c < std::min(q.cols, c0 + bcols); ++c) {
          amax = std::max(amax, std::fabs(deq[r * q.cols + c]));
          all_zero = all_zero && q.value(r, c) == 0.0f;
        }
      ++st.blocks;
      st.zero_blocks += all_zero ? 1 : 0;
      st.block_amax.push_back(amax);
      if (scaled) {
        ScaleBin& bin = st.scale_codes[q.scale_code(r0, kb)];
        ++bin.count;
        bin.value = q.scale(r0, kb);
      }
    }
  }
  std::sort(st.block_amax.begin(), st.block_amax.end());
  return st;
}

}  // namespace nvfp4::cli
