#include "sim/model/layer_plan.hpp"

#include <algorithm>
#include <cmath>
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
                     const Dataflow& df, int64_t a_store_elements) {
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
  if (a_store_elements > 0) {  // a stored feature map (channels a multiple of the block): one scale per block
    p.a_bits = a_store_elements * p.a_code_bits;
    p.a_scale_total_bits = ceil_div(a_store_elements, c.arch.array.block) * p.a_scale_bits;
  } else {
    p.a_bits = d.M * d.K * p.a_code_bits;
    p.a_scale_total_bits = d.M * kblocks * p.a_scale_bits;
  }
  p.b_bits = d.N * d.K * p.b_code_bits;
  p.b_scale_total_bits = d.N * (p.b_scale_bits ? kblocks : 0) * p.b_scale_bits;

  const ArchSpec& a = c.arch;
  const double act_bits = a.activations.size_kib * 8192, wgt_bits = a.weights.size_kib * 8192;
  const double scl_bits = a.scales.size_kib * 8192, out_bits = a.outputs.size_kib * 8192;
  p.a_resident = p.a_bits <= act_bits && p.a_scale_total_bits <= scl_bits / 2;
  p.b_resident = p.b_bits <= wgt_bits && p.b_scale_total_bits <= scl_bits / 2;

  // Loop order: each streamed operand tile is fetched when it changes, so count the bits each order fetches
  // (closed form per dataflow: planning never enumerates folds).
  {
    int64_t bits[2] = {0, 0};
    for (int o = 0; o < 2; ++o) {
      const auto e = df.fetched_elements(d, p.geometry, o == 0 ? FoldOrder::ColsOuter : FoldOrder::RowsOuter);
      const int64_t a = p.a_resident ? 0 : saturating_mul(e[0], p.a_code_bits);
      const int64_t b = p.b_resident ? 0 : saturating_mul(e[1], p.b_code_bits);
      bits[o] = a > INT64_MAX - b ? INT64_MAX : a + b;
    }
    p.order = bits[1] < bits[0] ? FoldOrder::RowsOuter : FoldOrder::ColsOuter;
  }
  // The largest fold is the first one (edge folds are smaller).
  const FoldWork w = df.fold(d, p.geometry, 0);
  const std::string who = where + ": layer '" + name + "': the ";
  const std::string arr = " cannot feed the " + std::to_string(a.array.rows) + " x " + std::to_string(a.array.cols) +
                          " array (" + std::string(df.name()) + " dataflow): ";
  const bool resident[2] = {p.a_resident, p.b_resident};
  const double bank[2] = {act_bits, wgt_bits};
  const char* bank_name[2] = {"activations", "weights"};
  const char* code_name[2] = {"activation", "weight"};
  const int64_t elements[2] = {w.a_elements, w.b_elements}, blocks[2] = {w.a_blocks, w.b_blocks};
  const int code_w[2] = {p.a_code_bits, p.b_code_bits}, scale_w[2] = {p.a_scale_bits, p.b_scale_bits};
  const double total_scales[2] = {double(p.a_scale_total_bits), double(p.b_scale_total_bits)};
  // Scales bits an operand holds: all of them when resident, else its fold tile (or chunk) double buffered.
  auto scales_of = [&](int op, int64_t rows) {
    if (resident[op]) return total_scales[op];
    if (op == p.stream_op && p.chunk_stream) return 2.0 * rows * (blocks[op] / p.stream_rows) * scale_w[op];
    return 2.0 * blocks[op] * scale_w[op];
  };

  // ws / is: cut the row stream into the largest chunks whose buffers, double buffered, fit their banks.
  if (const int s = df.streamed_operand(); s >= 0) {
    p.stream_op = s;
    p.stream_rows = p.chunk_rows = s == 0 ? d.M : d.N;
    const int64_t rows = p.stream_rows;
    p.chunk_stream = !resident[s] && (2.0 * elements[s] * code_w[s] > bank[s] ||
                                      scales_of(0, rows) + scales_of(1, rows) > scl_bits);
    p.chunk_outputs = 2.0 * w.out_writes * p.out_bits > out_bits;
    auto fit = [&](double room, double per_row, const std::string& what, const std::string& of) {  // or refuse
      const int64_t n = per_row > 0 ? static_cast<int64_t>(std::floor(room / per_row)) : rows;
      if (n < 1) throw Error(who + what + kib(per_row) + " for a single row of " + of + " (double-buffered)");
      p.chunk_rows = std::min(p.chunk_rows, n);
    };
    if (p.chunk_stream) {
      fit(bank[s], 2.0 * (elements[s] / rows) * code_w[s],
          std::string(bank_name[s]) + " SRAM (" + kib(bank[s]) + ")" + arr + "it needs ",
          std::string("streamed ") + code_name[s] + " codes");
      fit(scl_bits - scales_of(1 - s, rows), 2.0 * (blocks[s] / rows) * scale_w[s],
          "scales SRAM (" + kib(scl_bits) + ")" + arr + "it holds " + kib(scales_of(1 - s, rows)) +
              " of " + code_name[1 - s] + " scales and needs ",
          std::string("streamed ") + code_name[s] + " scales");
    }
    if (p.chunk_outputs)
      fit(out_bits, 2.0 * (w.out_writes / rows) * p.out_bits,
          "outputs SRAM (" + kib(out_bits) + ")" + arr + "it needs ", "outputs / partial sums");
  }

  for (int op = 0; op < 2; ++op)
    if (!resident[op] && !(op == p.stream_op && p.chunk_stream) && 2.0 * elements[op] * code_w[op] > bank[op])
      throw Error(who + bank_name[op] + " SRAM (" + kib(bank[op]) + ")" + arr + "one fold needs " +
                  kib(2.0 * elements[op] * code_w[op]) + " of " + code_name[op] + " codes (double-buffered)");
  const double scales_needed = scales_of(0, p.chunk_rows) + scales_of(1, p.chunk_rows);
  if (scales_needed > scl_bits)
    throw Error(who + "scales SRAM (" + kib(scl_bits) + ")" + arr + "one fold needs " + kib(scales_needed) +
                " of block scales");
  if (!p.chunk_outputs && 2.0 * w.out_writes * p.out_bits > out_bits)
    throw Error(who + "outputs SRAM (" + kib(out_bits) + ")" + arr + "one fold needs " +
                kib(2.0 * w.out_writes * p.out_bits) + " of outputs / partial sums (double-buffered)");
  // Working set per bank: the whole operand when resident, else its double-buffered tile (or chunk).
  auto bank_need = [&](int op) {
    if (resident[op]) return static_cast<double>(op == 0 ? p.a_bits : p.b_bits);
    if (op == p.stream_op && p.chunk_stream) return 2.0 * p.chunk_rows * (elements[op] / p.stream_rows) * code_w[op];
    return 2.0 * elements[op] * code_w[op];
  };
  p.a_bank_need = bank_need(0);
  p.b_bank_need = bank_need(1);
  p.a_scales_need = scales_of(0, p.chunk_rows);
  p.b_scales_need = scales_of(1, p.chunk_rows);
  return p;
}

}  // namespace nvfp4::sim
