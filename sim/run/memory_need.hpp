// The host memory a run needs, estimated before any work so that a layer or a bank too large for the machine is
// refused by name (docs/sim.md, "Sizes and the memory budget") instead of dying in std::bad_alloc mid-run. Upper
// bounds: float operands (one chunk of rows for streamed weights, sim/run/streamed_weights.hpp) and a convolution's
// feature map, two quantized copies of each (clean and as stored with faults, at most 2 bytes per element with
// scales), the output, the float reference, and the modelled SRAM arrays.
#pragma once
#include "sim/config/sim_config.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::sim {

using workload::Layer;  // a workload layer, as every tool reads it (numerics/workload.hpp)

// Bytes held while layer `l` is computed (its tensors live one layer at a time).
double layer_memory_bytes(const Layer& l, const SimConfig& c);
// Bytes of the four SRAM bank models (their storage is really allocated).
double sram_memory_bytes(const ArchSpec& a);
// Bytes of one layer's saved output (--save-outputs keeps every layer's until the end).
double saved_output_bytes(const Layer& l);

}  // namespace nvfp4::sim
