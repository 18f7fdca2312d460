// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11), written from the
// paper's description: 10 rounds of two 32x32->64 multiplies with a Weyl-sequence key schedule.
#include <array>
#include <cstdint>

#include "numerics/philox.hpp"

namespace nvfp4 {
namespace {

constexpr uint32_t kMul0 = 0xD2511F53u;  // multipliers of the 4x32 variant
constexpr uint32_t kMul1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u;  // golden ratio
constexpr uint32_t kWeyl1 = 0xBB67AE85u;  // sqrt(3) - 1

inline void round_once(std::array<uint32_t, 4>& c, const std::array<uint32_t, 2>& k) {
  uint64_t p0 = static_cast<uint64_t>(kMul0) * c[0];
  uint64_t p1 = static_cast<uint64_t>(kMul1) * c[2];
  uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
  uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
  c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
}

}  // namespace

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  for (int i = 0; i < 10; ++i) {
    if (i > 0) {
      key[0] += kWeyl0;
      key[1] += kWeyl1;
    }
    round_once(counter, key);
  }
  return counter;
}

uint32_t sr_random_word(uint64_t seed, uint64_t index) {
  std::array<uint32_t, 4> ctr{static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32), 0u, 0u};
  std::array<uint32_t, 2> key{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  return philox4x32_10(ctr, key)[0];
}

}  // namespace nvfp4
