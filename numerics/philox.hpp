// Philox4x32-10 counter-based generator (Salmon et al., SC'11), the random source of stochastic rounding.
// Contract shared by CPU, SystemC and CUDA: key = {seed low 32, seed high 32}, counter = {index low 32, index high 32,
// 0, 0}; the element's random word u is output word 0. NVFP4_SPEC.md section 3, rounding `sr`.
#pragma once
#include <array>
#include <cstdint>

namespace nvfp4 {

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

// The 32-bit random word of element `index` (linear, row-major over the logical tensor) for `seed`.
uint32_t sr_random_word(uint64_t seed, uint64_t index);

}  // namespace nvfp4
