#include "sim/run/memory_need.hpp"

#include "sim/run/streamed_weights.hpp"

namespace nvfp4::sim {

double saved_output_bytes(const Layer& l) { return 4.0 * static_cast<double>(l.M) * static_cast<double>(l.N); }

double layer_memory_bytes(const Layer& l, const SimConfig& c) {
  const double mk = static_cast<double>(l.M) * static_cast<double>(l.K);
  const double nk = static_cast<double>(l.N) * static_cast<double>(l.K);
  const double mn = static_cast<double>(l.M) * static_cast<double>(l.N);
  const double nk_floats = streams_weights(l, c) ? static_cast<double>(kStreamedChunkRows) * l.K : nk;
  double bytes = 4.0 * (mk + nk_floats);               // float operands (generated or read; streamed weights: a chunk)
  if (l.kind == Layer::Kind::Conv)                      // the NHWC feature map before im2col
    bytes += 4.0 * static_cast<double>(l.conv.batch) * static_cast<double>(l.conv.ifmap_h) *
             static_cast<double>(l.conv.ifmap_w) * static_cast<double>(l.conv.channels);
  bytes += 2.0 * 2.0 * (mk + nk);                      // quantized, clean and faulted: <= 2 bytes per element each
  bytes += 4.0 * mn;                                   // the output
  if (c.run.float_reference) {                         // the float reference output (its rows, and their A rows)
    const int64_t n = c.run.float_reference_rows;
    const double rows = n > 0 && n < l.M ? static_cast<double>(n) : static_cast<double>(l.M);
    bytes += 4.0 * rows * static_cast<double>(l.N) + (rows < static_cast<double>(l.M) ? 4.0 * rows * l.K : 0.0);
  }
  return bytes;
}

double sram_memory_bytes(const ArchSpec& a) {
  return 1024.0 * (a.activations.size_kib + a.weights.size_kib + a.scales.size_kib + a.outputs.size_kib);
}

}  // namespace nvfp4::sim
