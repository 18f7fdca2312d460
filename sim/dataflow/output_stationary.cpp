// Output-stationary: engine (r, c) owns output D[m][n] of an R x C output tile and streams the whole reduction through
// its lanes, L elements per beat; activation rows enter from the left, weight rows from the top (systolic skew).
//   folds = ceil(M / R) * ceil(N / C);  fold cycles = ceil(K / L) + R + C - 2 + (P - 1)
// (SCALE-Sim systolic_compute_os.py: T + R + C - 2 per fold with T = K, for L = P = 1.)
#include "sim/dataflow/dataflow.hpp"

#include <algorithm>

namespace nvfp4::sim {
namespace {

// What every fold of a layer shares (one division each, once per layer).
struct LayerConstants {
  LayerConstants(const GemmDims& d, const ArrayGeometry& g)
      : row_folds(ceil_div(d.M, g.rows)), col_folds(ceil_div(d.N, g.cols)), blocks(ceil_div(d.K, g.block)),
        compute_cycles(ceil_div(d.K, g.lanes) + g.rows + g.cols - 2 + (g.pipeline_depth - 1)) {}
  int64_t row_folds, col_folds, blocks, compute_cycles;
};

// The fold of row fold fr and column fold fc.
FoldWork fold_at(const GemmDims& d, const ArrayGeometry& g, const LayerConstants& c, int64_t fr, int64_t fc) {
  const int64_t rows = std::min<int64_t>(g.rows, d.M - fr * g.rows);
  const int64_t cols = std::min<int64_t>(g.cols, d.N - fc * g.cols);
  FoldWork w;
  w.compute_cycles = c.compute_cycles;
  w.a_elements = rows * d.K;
  w.b_elements = cols * d.K;
  w.a_blocks = rows * c.blocks;
  w.b_blocks = cols * c.blocks;
  w.out_writes = rows * cols;
  w.macs = rows * cols * d.K;
  w.a_tile = fr;
  w.b_tile = fc;
  w.m0 = fr * g.rows, w.m1 = w.m0 + rows, w.n0 = fc * g.cols, w.n1 = w.n0 + cols, w.k0 = 0, w.k1 = d.K;
  return w;
}

// The folds in order: row folds inner (ColsOuter, SCALE-Sim's) or column folds inner, stepped without a division.
class Walker final : public FoldWalker {
 public:
  Walker(const GemmDims& d, const ArrayGeometry& g, FoldOrder order)
      : d_(d), g_(g), c_(d, g), cols_outer_(order == FoldOrder::ColsOuter) {}
  FoldWork next() override {
    const FoldWork w = fold_at(d_, g_, c_, fr_, fc_);
    if (cols_outer_) {
      if (++fr_ == c_.row_folds) fr_ = 0, ++fc_;
    } else if (++fc_ == c_.col_folds) {
      fc_ = 0, ++fr_;
    }
    return w;
  }

 private:
  GemmDims d_;
  ArrayGeometry g_;
  LayerConstants c_;
  bool cols_outer_;
  int64_t fr_ = 0, fc_ = 0;
};

class OutputStationary final : public Dataflow {
 public:
  std::string_view name() const override { return "os"; }
  int64_t folds(const GemmDims& d, const ArrayGeometry& g) const override {
    return ceil_div(d.M, g.rows) * ceil_div(d.N, g.cols);
  }
  std::array<int64_t, 2> fetched_elements(const GemmDims& d, const ArrayGeometry& g, FoldOrder order) const override {
    const int64_t row_folds = ceil_div(d.M, g.rows), col_folds = ceil_div(d.N, g.cols);
    if (order == FoldOrder::ColsOuter) return {refetched(d.M * d.K, row_folds, col_folds), d.N * d.K};
    return {d.M * d.K, refetched(d.N * d.K, col_folds, row_folds)};
  }
  FoldWork fold(const GemmDims& d, const ArrayGeometry& g, int64_t index, FoldOrder order) const override {
    const LayerConstants c(d, g);
    const bool cols_outer = order == FoldOrder::ColsOuter;
    const int64_t fr = cols_outer ? index % c.row_folds : index / c.col_folds;
    const int64_t fc = cols_outer ? index / c.row_folds : index % c.col_folds;
    return fold_at(d, g, c, fr, fc);
  }
  std::unique_ptr<FoldWalker> walk(const GemmDims& d, const ArrayGeometry& g, FoldOrder order) const override {
    return std::make_unique<Walker>(d, g, order);
  }
};

}  // namespace

std::unique_ptr<Dataflow> make_output_stationary() { return std::make_unique<OutputStationary>(); }

}  // namespace nvfp4::sim
