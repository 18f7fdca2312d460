// Golden block-scaled GEMM D = A x B^T (NVFP4_SPEC.md section 5). The oracle every other layer must equal bit for bit.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "numerics/quantized_tensor.hpp"

namespace nvfp4 {

// Accumulation policy. Canonical names: "fp32-seq", "blackwell-mma", "fixed:W" or "fixed:W:F".
//  fp32-seq:      acc = 0; for k in order: acc = fp32(acc + term_k); D = fp32(acc * fp32(s_tA * s_tB)).
//  blackwell-mma: third-party model (microsoft/MMA-Sim) of Blackwell block-scaled MMA, see the spec.
//  fixed:W:F:     W-bit two's-complement accumulator with F fractional bits (fixed:W means F = W / 2).
//                 Each term is floored to F fractional bits (arithmetic shift), acc = saturate_W(acc + term);
//                 D = fp32( fp32_rn(acc * 2^-F) * fp32(s_tA * s_tB) ).
// term_k = sa[m][k] * sb[n][k] * blocksum_k, the fp32 round-to-nearest-even of its exact value (exact for NVFP4).
struct AccumPolicy {
  enum class Kind : uint8_t { Fp32Seq, BlackwellMma, Fixed };
  Kind kind = Kind::Fp32Seq;
  int width = 32;  // Fixed only: 8..64
  int frac = 16;   // Fixed only: 0..width-1

  static AccumPolicy parse(std::string_view name);  // throws nvfp4::Error naming the bad text
  std::string name() const;                         // canonical, round-trips through parse
};

// a: M x K, b: N x K (both row-major over their non-reduction dim). Block sizes of block-scaled operands must match.
// Throws nvfp4::Error on mismatched K, block sizes or unsupported scheme pairs. Returns D: M x N, row-major.
std::vector<float> gemm(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy);

// The same, into caller-owned memory (d: M x N floats), using at most `threads` threads (0 = hardware concurrency).
void gemm_into(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy, float* d,
               int threads = 1);

// D = A x B^T from a known d_ref = A_ref x B_ref^T (same policy), computing again only the rows of D whose A row and
// the columns whose B row differ in stored bits (codes or the row's block scales): the same bits as gemm_into. Applies
// when A, B have A_ref's, B_ref's spec, shape and tensor scale and 1-D blocks, and at most max_fraction of A's rows
// and of B's rows differ; returns false otherwise (d untouched: compute it in full). d may be d_ref (updated in place).
bool gemm_update_into(const float* d_ref, const QuantizedTensor& a_ref, const QuantizedTensor& b_ref,
                      const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy, float* d,
                      double max_fraction);

}  // namespace nvfp4
