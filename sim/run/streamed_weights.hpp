// A generated weight operand too large to hold as floats (an LLM head: Llama-3.2-1B's lm_head is 128256 x 2048 floats,
// 1 GiB, against 148 MB quantized) is quantized in chunks of rows drawn twice from its generator stream: first for
// the tensor amax, then for the codes, the float reference of the sampled activation rows computed on each chunk.
// Same bits as the whole tensor (tests: numerics_quantize_test "row chunks", sim_units "streamed weights"); the
// price is a second draw of the stream, the gain ~0.9 GB less memory touched (page faults, docs/sim.md "Sizes").
#pragma once
#include <cstdint>
#include <vector>

#include "numerics/quantize.hpp"
#include "numerics/workload.hpp"
#include "sim/config/sim_config.hpp"

namespace nvfp4::sim {

// Weights whose floats would take more than this are streamed (only lm_head-sized layers reach it).
inline constexpr double kStreamedWeightBytes = 256.0 * 1024 * 1024;
// Rows per chunk: a multiple of 16 (2-D block scales take whole 16-row bands).
inline constexpr int64_t kStreamedChunkRows = 1024;

// True when the layer's weights are generated and larger than kStreamedWeightBytes as floats.
bool streams_weights(const workload::Layer& l, const SimConfig& config);

// The N x K weights of `stream` quantized with `spec`; with `picked_a` (R x K activation rows), `reference` gets
// the R x N float reference picked_a x weights^T.
QuantizedTensor quantize_streamed(const workload::GeneratorStream& stream, int64_t N, int64_t K, const QuantSpec& spec,
                                  const std::vector<float>* picked_a, std::vector<float>* reference);

}  // namespace nvfp4::sim
