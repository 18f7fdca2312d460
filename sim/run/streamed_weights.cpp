#include "sim/run/streamed_weights.hpp"

#include <algorithm>

#include "sim/run/float_reference.hpp"

namespace nvfp4::sim {

bool streams_weights(const workload::Layer& l, const SimConfig& config) {
  return 4.0 * static_cast<double>(l.N) * static_cast<double>(l.K) > kStreamedWeightBytes &&
         workload::operand_stream(l, 0, 1, config.workload.activations, config.workload.weights, 0).has_value();
}

QuantizedTensor quantize_streamed(const workload::GeneratorStream& stream, int64_t N, int64_t K, const QuantSpec& spec,
                                  const std::vector<float>* picked_a, std::vector<float>* reference) {
  const auto quantizer = make_quantizer(spec);
  std::vector<float> chunk(static_cast<size_t>(std::min(N, kStreamedChunkRows) * K));
  float amax = 0.0f;
  workload::GeneratorStream first = stream;
  for (int64_t r0 = 0; r0 < N; r0 += kStreamedChunkRows) {
    const int64_t n = std::min(kStreamedChunkRows, N - r0);
    first.fill(chunk.data(), static_cast<size_t>(n * K));
    amax = std::max(amax, quantizer->scan_rows(chunk.data(), r0, n, K));
  }
  QuantizedTensor q = quantizer->begin(N, K, amax);
  const int64_t R = picked_a ? static_cast<int64_t>(picked_a->size()) / K : 0;
  if (reference) reference->assign(static_cast<size_t>(R * N), 0.0f);
  workload::GeneratorStream second = stream;
  for (int64_t r0 = 0; r0 < N; r0 += kStreamedChunkRows) {
    const int64_t n = std::min(kStreamedChunkRows, N - r0);
    second.fill(chunk.data(), static_cast<size_t>(n * K));
    quantizer->encode_rows(chunk.data(), r0, n, amax, q);
    if (R > 0 && reference) float_gemm_into(picked_a->data(), chunk.data(), R, n, K, reference->data() + r0, N);
  }
  return q;
}

}  // namespace nvfp4::sim
