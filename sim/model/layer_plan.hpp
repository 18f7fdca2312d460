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
};

ArrayGeometry geometry_of(const ArraySpec& a);
// Throws nvfp4::Error naming `where`, the layer, the bank and the sizes when a fold's working set does not fit.
LayerPlan plan_layer(const std::string& name, const std::string& where, const GemmDims& dims, const SimConfig& config,
                     const Dataflow& dataflow);

}  // namespace nvfp4::sim
