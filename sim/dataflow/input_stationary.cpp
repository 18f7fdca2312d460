// Input-stationary: engine (r, c) holds the activations of reduction beat r (L elements) of output row m = c; the N
// weight rows stream through, partial sums are accumulated across K folds in the output SRAM (in K order).
//   folds = ceil(ceil(K / L) / R) * ceil(M / C);  fold cycles = 2R + C + N - 2 + (P - 1)
// (SCALE-Sim systolic_compute_is.py: 2R + C + T - 2 per fold with T = N, for L = P = 1.)
#include "sim/dataflow/dataflow.hpp"

#include <algorithm>

namespace nvfp4::sim {
namespace {

class InputStationary final : public Dataflow {
 public:
  std::string_view name() const override { return "is"; }
  int streamed_operand() const override { return 1; }
  int64_t folds(const GemmDims& d, const ArrayGeometry& g) const override {
    return ceil_div(ceil_div(d.K, g.lanes), g.rows) * ceil_div(d.M, g.cols);
  }
  std::array<int64_t, 2> fetched_elements(const GemmDims& d, const ArrayGeometry& g, FoldOrder) const override {
    const int64_t row_folds = ceil_div(ceil_div(d.K, g.lanes), g.rows), col_folds = ceil_div(d.M, g.cols);
    return {d.M * d.K, refetched(d.N * d.K, row_folds, col_folds)};  // a_tile = every fold, b_tile = K fold
  }
  FoldWork fold(const GemmDims& d, const ArrayGeometry& g, int64_t index, FoldOrder order) const override {
    const int64_t row_folds = ceil_div(ceil_div(d.K, g.lanes), g.rows);
    (void)order;  // one order: K folds inner, so partial sums are accumulated in K order
    const int64_t fr = index % row_folds, fc = index / row_folds;
    const int64_t k0 = fr * g.rows * g.lanes, k1 = std::min<int64_t>(d.K, k0 + int64_t{g.rows} * g.lanes);
    const int64_t ms = std::min<int64_t>(g.cols, d.M - fc * g.cols);
    FoldWork w;
    w.compute_cycles = 2 * g.rows + g.cols + d.N - 2 + (g.pipeline_depth - 1);
    w.a_elements = ms * (k1 - k0);
    w.b_elements = d.N * (k1 - k0);
    w.a_blocks = ms * blocks_touched(k0, k1, g.block);
    w.b_blocks = d.N * blocks_touched(k0, k1, g.block);
    w.out_writes = d.N * ms;
    w.out_reads = fr > 0 ? d.N * ms : 0;
    w.macs = d.N * ms * (k1 - k0);
    w.final_k = fr == row_folds - 1;
    w.a_tile = index;  // activations of this K chunk and row fold
    w.b_tile = fr;     // weight rows x this K chunk
    w.m0 = fc * g.cols, w.m1 = w.m0 + ms, w.n0 = 0, w.n1 = d.N, w.k0 = k0, w.k1 = k1;
    return w;
  }
};

}  // namespace

std::unique_ptr<Dataflow> make_input_stationary() { return std::make_unique<InputStationary>(); }

}  // namespace nvfp4::sim
