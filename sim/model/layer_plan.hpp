// A layer prepared for the array (docs/sim.md, "Cycle model"): dimensions, fold count, storage formats and which
// operands stay resident in their SRAM bank for the whole layer (loaded once) or are streamed fold by fold from
// off-chip memory (double-buffered). plan_layer() refuses, before any simulation, a layer the SRAM cannot feed.
#pragma once
#include <cstdint>
#include <string>

#include "sim/config/sim_config.hpp"
#include "sim/dataflow/dataflow.hpp"

namespace nvfp4::sim {

struct LayerPlan {
  std::string name;
  GemmDims dims;
  ArrayGeometry geometry;
  const Dataflow* dataflow = nullptr;
  int64_t folds = 0;
  int a_code_bits = 4, b_code_bits = 4;    // element code widths
  int a_scale_bits = 8, b_scale_bits = 8;  // block-scale code widths (0 without block scales)
  int out_bits = 32;                       // fp32 outputs and partial sums
  int64_t a_bits = 0, b_bits = 0;          // whole operands: codes
  int64_t a_scale_total_bits = 0, b_scale_total_bits = 0;
  bool a_resident = false, b_resident = false;
  FoldOrder order = FoldOrder::ColsOuter;  // the order that re-fetches fewer bits from off-chip memory
  // Row stream of ws / is (docs/sim.md, "Chunked streaming"): when a fold's streamed tile or its output tile does not
  // fit its bank double buffered, it moves in chunks of chunk_rows rows; the compute schedule does not change.
  int stream_op = -1;           // Dataflow::streamed_operand(): 0 activations (ws), 1 weights (is), -1 none (os)
  int64_t stream_rows = 0;      // M (ws) or N (is): rows per fold
  int64_t chunk_rows = 0;       // rows per chunk (= stream_rows when nothing is chunked)
  bool chunk_stream = false;    // the streamed operand is fetched chunk by chunk, again in every fold
  bool chunk_outputs = false;   // outputs and partial sums leave per chunk; partial sums go through off-chip memory
  int64_t chunks() const { return chunk_rows ? ceil_div(stream_rows, chunk_rows) : 1; }
  // Working set of the layer while it runs, in bits (for the residency allocation, sim/model/residency.hpp): codes in
  // the activation / weight bank (whole operand when resident, double-buffered tile or chunk when streamed), block
  // scales of each operand in the scales bank.
  double a_bank_need = 0, b_bank_need = 0, a_scales_need = 0, b_scales_need = 0;
  // Residency across inferences (docs/sim.md, "Residency"); all false in the cold regime.
  bool b_pinned = false;     // the weights (codes and scales) stay on chip across inferences: no load per inference
  bool a_on_chip = false;    // the input was written into the activation / scales banks by the previous layer
  bool out_on_chip = false;  // the final outputs become the next layer's input on chip (nothing drains off-chip)
  int64_t next_a_bits = 0, next_a_scale_bits = 0;  // what out_on_chip writes: the next layer's stored input
};

ArrayGeometry geometry_of(const ArraySpec& a);
// Throws nvfp4::Error naming `where`, the layer, the bank and the sizes when a fold's working set does not fit.
// `a_store_elements`: activation elements as stored in the bank (0: the lowered M x K matrix; the steady regime
// passes the feature map's size when im2col is an addressing pattern over it, sim/model/residency.hpp).
LayerPlan plan_layer(const std::string& name, const std::string& where, const GemmDims& dims, const SimConfig& config,
                     const Dataflow& dataflow, int64_t a_store_elements = 0);

}  // namespace nvfp4::sim
