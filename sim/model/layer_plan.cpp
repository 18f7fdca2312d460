#include "sim/model/layer_plan.hpp"

#include <sstream>

#include "numerics/error.hpp"

namespace nvfp4::sim {
namespace {

std::string kib(double bits) {
  std::ostringstream s;
  s.precision(4);
  s << bits / 8192.0 << " KiB";
  return s.str();
}

}  // namespace

ArrayGeometry geometry_of(const ArraySpec& a) {
  return ArrayGeometry{a.rows, a.cols, a.lanes, a.pipeline_depth, a.block};
}

LayerPlan plan_layer(const std::string& name, const std::string& where, const GemmDims& d, const SimConfig& c,
                     const Dataflow& df) {
  if (d.M <= 0 || d.N <= 0 || d.K <= 0)
    throw Error(where + ": layer '" + name + "': GEMM dimensions must be > 0 (M=" + std::to_string(d.M) +
                ", N=" + std::to_string(d.N) + ", K=" + std::to_string(d.K) + ")");
  LayerPlan p;
  p.name = name;
  p.dims = d;
  p.geometry = geometry_of(c.arch.array);
  p.dataflow = &df;
  p.folds = df.folds(d, p.geometry);
  const QuantSpec ws = c.weight_spec();
  p.b_code_bits = code_bits(ws.scheme);
  p.b_scale_bits = has_block_scale(ws.scheme) ? 8 * scale_bytes(ws.scheme) : 0;
  const int64_t kblocks = ceil_div(d.K, c.arch.array.block);
  p.a_bits = d.M * d.K * p.a_code_bits;
  p.b_bits = d.N * d.K * p.b_code_bits;
  p.a_scale_total_bits = d.M * kblocks * p.a_scale_bits;
  p.b_scale_total_bits = d.N * (p.b_scale_bits ? kblocks : 0) * p.b_scale_bits;

  const ArchSpec& a = c.arch;
  const double act_bits = a.activations.size_kib * 8192, wgt_bits = a.weights.size_kib * 8192;
  const double scl_bits = a.scales.size_kib * 8192, out_bits = a.outputs.size_kib * 8192;
  p.a_resident = p.a_bits <= act_bits && p.a_scale_total_bits <= scl_bits / 2;
  p.b_resident = p.b_bits <= wgt_bits && p.b_scale_total_bits <= scl_bits / 2;

  // Loop order: each streamed operand tile is fetched when it changes, so count the bits each order fetches.
  {
    int64_t bits[2] = {0, 0};
    for (int o = 0; o < 2; ++o) {
      const FoldOrder order = o == 0 ? FoldOrder::ColsOuter : FoldOrder::RowsOuter;
      int64_t last_a = -1, last_b = -1;
      for (int64_t i = 0; i < p.folds && bits[o] >= 0; ++i) {
        const FoldWork w = df.fold(d, p.geometry, i, order);
        if (!p.a_resident && w.a_tile != last_a) bits[o] += w.a_elements * p.a_code_bits;
        if (!p.b_resident && w.b_tile != last_b) bits[o] += w.b_elements * p.b_code_bits;
        last_a = w.a_tile;
        last_b = w.b_tile;
      }
    }
    p.order = bits[1] < bits[0] ? FoldOrder::RowsOuter : FoldOrder::ColsOuter;
  }
  // The largest fold is the first one (edge folds are smaller).
  const FoldWork w = df.fold(d, p.geometry, 0);
  const std::string who = where + ": layer '" + name + "': the ";
  const std::string arr = " cannot feed the " + std::to_string(a.array.rows) + " x " + std::to_string(a.array.cols) +
                          " array (" + std::string(df.name()) + " dataflow): one fold needs ";
  if (!p.a_resident && 2.0 * w.a_elements * p.a_code_bits > act_bits)
    throw Error(who + "activations SRAM (" + kib(act_bits) + ")" + arr + kib(2.0 * w.a_elements * p.a_code_bits) +
                " of activation codes (double-buffered)");
  if (!p.b_resident && 2.0 * w.b_elements * p.b_code_bits > wgt_bits)
    throw Error(who + "weights SRAM (" + kib(wgt_bits) + ")" + arr + kib(2.0 * w.b_elements * p.b_code_bits) +
                " of weight codes (double-buffered)");
  const double scales_needed = (p.a_resident ? p.a_scale_total_bits : 2.0 * w.a_blocks * p.a_scale_bits) +
                               (p.b_resident ? p.b_scale_total_bits : 2.0 * w.b_blocks * p.b_scale_bits);
  if (scales_needed > scl_bits)
    throw Error(who + "scales SRAM (" + kib(scl_bits) + ")" + arr + kib(scales_needed) + " of block scales");
  if (2.0 * w.out_writes * p.out_bits > out_bits)
    throw Error(who + "outputs SRAM (" + kib(out_bits) + ")" + arr + kib(2.0 * w.out_writes * p.out_bits) +
                " of outputs / partial sums (double-buffered)");
  return p;
}

}  // namespace nvfp4::sim
