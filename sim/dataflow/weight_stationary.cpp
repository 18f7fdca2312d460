// Weight-stationary: engine (r, c) holds the weights of reduction beat r (L elements) of output column n = c; the M
// activation rows stream through, partial sums flow down the columns and are accumulated across K folds in the output
// SRAM (in K order, so the accumulation order is the golden one).
//   folds = ceil(ceil(K / L) / R) * ceil(N / C);  fold cycles = 2R + C + M - 2 + (P - 1)
// (SCALE-Sim systolic_compute_ws.py: 2R + C + T - 2 per fold with T = M, for L = P = 1.)
#include "sim/dataflow/dataflow.hpp"

#include <algorithm>

namespace nvfp4::sim {
namespace {

class WeightStationary final : public Dataflow {
 public:
  std::string_view name() const override { return "ws"; }
  int streamed_operand() const override { return 0; }
  int64_t folds(const GemmDims& d, const ArrayGeometry& g) const override {
    return ceil_div(ceil_div(d.K, g.lanes), g.rows) * ceil_div(d.N, g.cols);
  }
  std::array<int64_t, 2> fetched_elements(const GemmDims& d, const ArrayGeometry& g, FoldOrder) const override {
    const int64_t row_folds = ceil_div(ceil_div(d.K, g.lanes), g.rows), col_folds = ceil_div(d.N, g.cols);
    return {refetched(d.M * d.K, row_folds, col_folds), d.N * d.K};  // a_tile = K fold, b_tile = every fold
  }
  FoldWork fold(const GemmDims& d, const ArrayGeometry& g, int64_t index, FoldOrder order) const override {
    const int64_t row_folds = ceil_div(ceil_div(d.K, g.lanes), g.rows);
    (void)order;  // one order: K folds inner, so partial sums are accumulated in K order
    const int64_t fr = index % row_folds, fc = index / row_folds;
    const int64_t k0 = fr * g.rows * g.lanes, k1 = std::min<int64_t>(d.K, k0 + int64_t{g.rows} * g.lanes);
    const int64_t cols = std::min<int64_t>(g.cols, d.N - fc * g.cols);
    FoldWork w;
    w.compute_cycles = 2 * g.rows + g.cols + d.M - 2 + (g.pipeline_depth - 1);
    w.a_elements = d.M * (k1 - k0);
    w.b_elements = cols * (k1 - k0);
    w.a_blocks = d.M * blocks_touched(k0, k1, g.block);
    w.b_blocks = cols * blocks_touched(k0, k1, g.block);
    w.out_writes = d.M * cols;
    w.out_reads = fr > 0 ? d.M * cols : 0;
    w.macs = d.M * cols * (k1 - k0);
    w.final_k = fr == row_folds - 1;
    w.a_tile = fr;     // activation rows x this K chunk
    w.b_tile = index;  // weights of this K chunk and column fold
    w.m0 = 0, w.m1 = d.M, w.n0 = fc * g.cols, w.n1 = w.n0 + cols, w.k0 = k0, w.k1 = k1;
    return w;
  }
};

}  // namespace

std::unique_ptr<Dataflow> make_weight_stationary() { return std::make_unique<WeightStationary>(); }

}  // namespace nvfp4::sim
