#include "numerics/quant/philox_batch.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(NVFP4_NO_SIMD_CLONES)
#define NVFP4_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NVFP4_SIMD_CLONES
#endif

namespace nvfp4::detail {

// Philox4x32-10 with counter {index lo, index hi, 0, 0} and key {seed lo, seed hi}, output word 0 only; the round
// and key schedule are those of philox.cpp (the test compares the two for many indices).
NVFP4_SIMD_CLONES
void sr_random_words(uint64_t seed, uint64_t index0, int64_t n, uint32_t* __restrict out) {
  const uint32_t key0 = static_cast<uint32_t>(seed), key1 = static_cast<uint32_t>(seed >> 32);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t index = index0 + static_cast<uint64_t>(i);
    uint32_t c0 = static_cast<uint32_t>(index), c1 = static_cast<uint32_t>(index >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
      const uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
      const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
      const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
      c1 = static_cast<uint32_t>(p1);
      c3 = static_cast<uint32_t>(p0);
      c0 = n0;
      c2 = n2;
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    out[i] = c0;
  }
}

}  // namespace nvfp4::detail
