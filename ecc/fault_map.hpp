// The faulty cells of an SRAM bank, drawn sparsely (docs/ecc.md, "Faults"): only the failing cells are generated,
// never the healthy ones, so a read costs O(failures + address segments), not O(cells).
//
// Model (unchanged from the per-cell description): every cell c of a bank has a uniform threshold u_c in [0, 1),
// independent across cells; the cell is faulty at voltage V iff u_c < p(V). Because the thresholds do not depend on V,
// a cell faulty at V is faulty at every lower V (nested maps).
//
// Sparse construction, exact in distribution. The set S_L = {c : u_c < 2^-L} is built bottom-up over levels
// L = 60, 59, ...:
//   S_60  = cells chosen by geometric gaps at rate 2^-60 (each with u = 2^-60 v),
//   S_L   = S_{L+1} + (cells not in S_{L+1} chosen by geometric gaps at rate q_L = 2^-(L+1) / (1 - 2^-(L+1)),
//           each with u = 2^-(L+1) (1 + v)),
// so P(c in S_L \ S_{L+1} | c not in S_{L+1}) = P(u in [2^-(L+1), 2^-L) | u >= 2^-(L+1)): the thresholds below 2^-L
// have exactly the uniform law. A read at p stops at the first L with 2^-L >= p and keeps the cells with u < p.
// Gaps: G = floor(log(U) / log(1 - q)) unchosen cells before the next chosen one, U uniform in (0, 1]. Level L's draws
// run per address segment of 2^min(L + 5, 52) cells (about 16 chosen cells each), so reading any address range
// costs about 2 p x cells + 17 draws per level.
// Random numbers: Philox4x32-10 (numerics/philox.hpp), key = seed, counter = {draw index in the segment, segment low
// 32 bits, stream, bank id | level << 10 | segment high bits << 16}; words 0-1 give U, words 2-3 give v (53 bits)
// and the stuck-at value (bit 0 of word 2). Streams: 0 is the persistent map; transient faults use stream
// 1 + read index (a fresh map per read). Bank ids 0..1023, addresses below 2^52.
// Deterministic: the same (seed, bank id, stream, p, address range) gives the same list on every run and thread.
#pragma once
#include <cstdint>
#include <vector>

namespace nvfp4::ecc {

struct CellFault {
  uint64_t cell = 0;       // bank address of the cell (bit index over the bank's words)
  double threshold = 0.0;  // u_c (< p)
  bool stuck_value = false;
};

// The faulty cells of [first, first + count) at bit failure probability p, in increasing address order.
std::vector<CellFault> faulty_cells(uint64_t seed, uint32_t bank_id, uint32_t stream, double p, uint64_t first,
                                    uint64_t count);

}  // namespace nvfp4::ecc
