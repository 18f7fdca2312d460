// Internal: the SR random words of n consecutive elements at once, in a loop that vectorizes (32x32->64 multiplies
// map to SIMD widening multiplies). Same words as sr_random_word(seed, index0 + i), i = 0..n-1.
#pragma once
#include <cstdint>

namespace nvfp4::detail {

void sr_random_words(uint64_t seed, uint64_t index0, int64_t n, uint32_t* out);

}  // namespace nvfp4::detail
