// Sparse fault map: failing cells only, by geometric gaps per threshold level (the construction is in the header).
#include "ecc/fault_map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "numerics/error.hpp"
#include "numerics/philox.hpp"

namespace nvfp4::ecc {
namespace {

constexpr int kLevels = 60;       // thresholds below 2^-60 form the base level
constexpr int kAddressBits = 52;  // banks of up to 2^52 cells
constexpr uint32_t kMaxBankId = 1023;

// Level L's segments hold 2^(L + 5) cells (at most 2^52): about 16 chosen cells per segment at its rate ~2^-(L+1),
// so a read of any address range costs about 2 p x cells + 17 draws per level, whatever the bank's size.
int segment_bits(int level) { return std::min(level + 5, kAddressBits); }

struct Stream {
  uint64_t seed;
  uint32_t bank_id, stream;
};

// Chooses cells of segment `seg` of `level` at rate q by geometric gaps, up to cell `last`; appends those >= `first`
// with u = lo + width v.
void draw_segment(const Stream& s, int level, uint64_t seg, double q, double lo, double width, uint64_t first,
                  uint64_t last, std::vector<CellFault>& out) {
  const int bits = segment_bits(level);
  const uint64_t start = seg << bits, cells = uint64_t{1} << bits;
  const double log_keep = std::log1p(-q);  // -inf for q = 1: every cell is chosen
  const std::array<uint32_t, 2> key{static_cast<uint32_t>(s.seed), static_cast<uint32_t>(s.seed >> 32)};
  const uint32_t c3 = s.bank_id | static_cast<uint32_t>(level) << 10 | static_cast<uint32_t>(seg >> 32) << 16;
  uint64_t pos = 0;
  for (uint64_t i = 0; pos < cells && start + pos <= last; ++i) {
    if (i > 0xFFFFFFFFull) throw Error("fault map: more than 2^32 draws in one segment");
    const auto w = philox4x32_10({static_cast<uint32_t>(i), static_cast<uint32_t>(seg), s.stream, c3}, key);
    const uint64_t x = (uint64_t{w[1]} << 32) | w[0], y = (uint64_t{w[3]} << 32) | w[2];
    // x 2^-53 is exact (a power of two, no underflow): the same value as std::ldexp, without its library call.
    const double u = static_cast<double>((x >> 11) + 1) * 0x1p-53;  // (0, 1]
    const double gap = q >= 1.0 ? 0.0 : std::floor(std::log(u) / log_keep);
    if (gap >= static_cast<double>(cells - pos)) break;
    pos += static_cast<uint64_t>(gap);
    const uint64_t cell = start + pos;
    if (cell > last) break;
    if (cell >= first) out.push_back({cell, lo + width * (static_cast<double>(y >> 11) * 0x1p-53), (y & 1u) != 0});
    ++pos;
  }
}

// Adds the cells of `fresh` that are not in `set` (both sorted by cell) to `set`, keeping it sorted.
void merge_new(std::vector<CellFault>& set, const std::vector<CellFault>& fresh, std::vector<CellFault>& scratch) {
  if (fresh.empty()) return;
  scratch.clear();
  size_t i = 0, j = 0;
  while (i < set.size() || j < fresh.size()) {
    if (j == fresh.size() || (i < set.size() && set[i].cell < fresh[j].cell)) {
      scratch.push_back(set[i++]);
    } else if (i < set.size() && set[i].cell == fresh[j].cell) {
      scratch.push_back(set[i++]);  // already below a smaller threshold
      ++j;
    } else {
      scratch.push_back(fresh[j++]);
    }
  }
  set.swap(scratch);
}

// The deepest level whose set holds every cell with u < p: the largest L <= kLevels with 2^-L >= p.
int stop_level(double p) {
  int level = 0;
  while (level < kLevels && std::ldexp(1.0, -(level + 1)) >= p) ++level;
  return level;
}

}  // namespace

std::vector<CellFault> faulty_cells(uint64_t seed, uint32_t bank_id, uint32_t stream, double p, uint64_t first,
                                    uint64_t count) {
  std::vector<CellFault> set;
  if (!(p > 0.0) || count == 0) return set;
  const uint64_t last = first + count - 1;
  if (last < first || (last >> kAddressBits) != 0)
    throw Error("fault map: cell range [" + std::to_string(first) + ", +" + std::to_string(count) +
                ") exceeds 2^52 cells");
  if (bank_id > kMaxBankId) throw Error("fault map: bank id " + std::to_string(bank_id) + " above 1023");
  const Stream s{seed, bank_id, stream};
  std::vector<CellFault> fresh, scratch;
  // About count x 2^-stop cells are drawn (half of them by the last level): reserved once instead of grown by copies.
  const double expect = static_cast<double>(count) * std::ldexp(1.0, -stop_level(p)) * 1.1 + 64.0;
  if (expect < 1e8) {
    set.reserve(static_cast<size_t>(expect));
    scratch.reserve(static_cast<size_t>(expect));
    fresh.reserve(static_cast<size_t>(expect * 0.6));
  }
  auto level_draws = [&](int level, double q, double lo, double width) {
    fresh.clear();
    const int bits = segment_bits(level);
    for (uint64_t seg = first >> bits; seg <= (last >> bits); ++seg)
      draw_segment(s, level, seg, q, lo, width, first, last, fresh);
    merge_new(set, fresh, scratch);
  };
  const double base = std::ldexp(1.0, -kLevels);
  level_draws(kLevels, base, 0.0, base);
  for (int level = kLevels - 1; level >= stop_level(p); --level) {
    const double lo = std::ldexp(1.0, -(level + 1));  // this level adds thresholds in [lo, 2 lo)
    level_draws(level, lo / (1.0 - lo), lo, lo);
  }
  std::erase_if(set, [p](const CellFault& f) { return !(f.threshold < p); });
  return set;
}

}  // namespace nvfp4::ecc
