// How a layer's GEMM is mapped onto the R x C engine array: one interface, one implementation per file, chosen by name
// (docs/sim.md, "Cycle model"). A dataflow cuts the layer into folds (array-sized tiles) in SCALE-Sim's order (column
// folds outer, row folds inner) and says, per fold, its compute cycles and the operand traffic at the array's edges.
// With 1-lane engines and pipeline depth 1 the compute cycles equal SCALE-Sim's (tests/sim/test_scalesim_cycles).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "numerics/ceil_div.hpp"

namespace nvfp4::sim {

struct ArrayGeometry {
  int rows = 4, cols = 4;   // R x C engines
  int lanes = 16;           // L: reduction elements per engine per beat
  int pipeline_depth = 1;   // P: stages from lane inputs to the accumulator
  int block = 16;           // B: elements per block scale
};

struct GemmDims {
  int64_t M = 0, N = 0, K = 0;
};

// One fold: what the array does between two re-loads of its stationary operand.
struct FoldWork {
  int64_t compute_cycles = 0;  // beats + fill/drain + pipeline latency
  int64_t a_elements = 0;      // activation codes read from the activation SRAM
  int64_t b_elements = 0;      // weight codes read from the weight SRAM
  int64_t a_blocks = 0;        // activation block scales read
  int64_t b_blocks = 0;        // weight block scales read
  int64_t out_writes = 0;      // fp32 output / partial-sum words written to the output SRAM
  int64_t out_reads = 0;       // partial sums read back (ws, is: every K fold but the first)
  int64_t macs = 0;            // useful multiply-accumulates (element products) of the fold
  bool final_k = true;         // the fold completes its outputs (they can leave for off-chip memory)
  int64_t a_tile = 0;          // which activation tile the fold uses (a change means a new tile in the bank)
  int64_t b_tile = 0;          // which weight tile
  // The outputs D[m0, m1) x [n0, n1) the fold works on, over reduction elements [k0, k1) (os: the whole of K; ws / is:
  // one K chunk of partial sums). --datapath rtl drives the RTL engines with exactly these dot products.
  int64_t m0 = 0, m1 = 0, n0 = 0, n1 = 0, k0 = 0, k1 = 0;
};

// Order of the folds: SCALE-Sim's (column folds outer) or row folds outer. The compute cycles do not depend on it;
// the off-chip traffic does (the controller picks the order that re-fetches less).
enum class FoldOrder { ColsOuter, RowsOuter };

// A layer's folds in schedule order, one after another (the controller's loop): next() returns fold(d, g, 0, order),
// fold(d, g, 1, order), ... An implementation keeps its per-layer constants and steps its tile indices, where
// fold(index) divides the index and the dimensions again on every call.
class FoldWalker {
 public:
  virtual ~FoldWalker() = default;
  virtual FoldWork next() = 0;
};

class Dataflow {
 public:
  virtual ~Dataflow() = default;
  virtual std::string_view name() const = 0;
  virtual int64_t folds(const GemmDims& d, const ArrayGeometry& g) const = 0;
  virtual FoldWork fold(const GemmDims& d, const ArrayGeometry& g, int64_t index,
                        FoldOrder order = FoldOrder::ColsOuter) const = 0;
  // The operand whose rows stream through the array, one row per cycle, for the whole fold (0: activations, M rows,
  // in ws; 1: weights, N rows, in is; -1: none in os). The controller may fetch it in chunks of rows.
  virtual int streamed_operand() const { return -1; }
  // The folds in order from the first (default: fold(index) for index 0, 1, ...). The walker keeps copies of d and g.
  virtual std::unique_ptr<FoldWalker> walk(const GemmDims& d, const ArrayGeometry& g, FoldOrder order) const;
  // Codes {activations, weights} fetched over the whole layer in `order`, when an operand's tile is fetched each time
  // it differs from the previous fold's (sum of fold(i).a_elements over the folds where a_tile changes, and the same
  // for b). Closed form, saturating at INT64_MAX: validation is O(layers), never O(folds).
  virtual std::array<int64_t, 2> fetched_elements(const GemmDims& d, const ArrayGeometry& g, FoldOrder order) const = 0;
  // Sum of the folds' compute cycles (closed form: every fold of a layer has the same length).
  int64_t compute_cycles(const GemmDims& d, const ArrayGeometry& g) const;
};

// The dataflow registry (docs/DEVELOPING.md, "Registries"): one row per implementation file. The config's
// `architecture.array.dataflow` accepts exactly these names.
struct DataflowInfo {
  std::string_view name;      // "os"
  std::string_view long_name; // "output-stationary"
  std::string_view stationary;  // what stays in the array during a fold
  std::unique_ptr<Dataflow> (*make)();
};
std::span<const DataflowInfo> dataflows();
// A registry name ("os" output-stationary, default; "ws"; "is"); throws nvfp4::Error listing the accepted names.
std::unique_ptr<Dataflow> make_dataflow(std::string_view name);

// Helpers shared by the implementations.
// Number of B-element blocks that elements [k0, k1) touch.
inline int64_t blocks_touched(int64_t k0, int64_t k1, int block) { return ceil_div(k1, block) - k0 / block; }
// a x b, or INT64_MAX when it overflows (traffic estimates of absurd layers stay ordered, never wrap).
inline int64_t saturating_mul(int64_t a, int64_t b) {
  int64_t p = 0;
  return __builtin_mul_overflow(a, b, &p) ? INT64_MAX : p;
}
// An operand of `elements` codes whose tile changes on every fold of the inner loop (inner > 1 folds) is fetched
// once per outer fold; otherwise once.
inline int64_t refetched(int64_t elements, int64_t inner, int64_t outer) {
  return inner > 1 ? saturating_mul(elements, outer) : elements;
}

}  // namespace nvfp4::sim
