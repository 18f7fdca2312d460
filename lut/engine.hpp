// Bit-accurate model of one dot-product engine (DESIGN.md, "The hardware being modelled"):
//   L lanes (LaneMultiplier of the configured style) -> exact integer adder tree -> block sum (exact)
//   scale unit (UE4M3 x UE4M3, lut/scale_unit.hpp) -> term = fp32_rn(sa * sb * blocksum) -> accumulator (policy)
// It equals numerics::gemm bit for bit. Lanes and block size B may differ: B % L == 0 (a block takes B/L beats, a
// partial last block only those it fills; the partial sum kept exact) or L % B == 0 (L/B blocks per beat, each through
// its own sub-tree, accumulated in order).
// The engine counts its actions (EngineActions, lut/actions.hpp) as it streams, beat by beat and block by block; they
// must equal the closed form dot_actions() that sim/ uses. Counters only grow until reset_actions().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lut/accumulator.hpp"
#include "lut/actions.hpp"
#include "lut/multiplier.hpp"
#include "lut/weight_format.hpp"
#include "numerics/gemm.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::lut {

struct EngineConfig {
  int lanes = 16;                            // L: a power of two, 1..64 (the binary adder tree)
  WeightFormat weight = WeightFormat::E2M1;  // weight element format (activation is always E2M1)
  std::string style = "mantissa-lut";        // lane multiplier style (lut/multiplier.hpp)
  AccumPolicy accum;                         // fp32-seq (default) or fixed:W[:F]
  // The lane table as read back from its storage (lut/lut_storage.hpp; faults included), in lut/tables.hpp's layout;
  // null: the committed table. Only for table styles (the array multiplier has none).
  std::shared_ptr<const std::vector<int64_t>> table;
  void validate() const;                     // throws nvfp4::Error naming the parameter
};

class DotEngine {
 public:
  explicit DotEngine(const EngineConfig& cfg);  // validates; builds the multiplier by style name
  const EngineConfig& config() const { return cfg_; }
  const LaneMultiplier& multiplier() const { return *mul_; }

  // Exact sum of n products (n <= 64): the adder tree's output, in LSBs of 2^-product_frac_bits(weight).
  // Sets *special when a weight was NaN/Inf. Counts lane multiplies (not beats or tree adds: see dot()).
  int64_t block_sum(const uint8_t* a_codes, const uint16_t* w_codes, int n, bool* special);
  // fp32_rn(sa * sb * block_sum * 2^-frac): the scale unit and the term rounding (exact for NVFP4 x NVFP4).
  // A special block (special weight or NaN scale) gives the canonical NaN here; dot() uses special_block_term.
  float block_term(int64_t block_sum, bool special, uint8_t sa_code, uint8_t sb_code);
  // The special-value path of a block with a NaN/Inf weight or a NaN scale, with numerics::gemm's semantics: the IEEE
  // value of sa * sb * sum(a_i * w_i) evaluated in double (NaN, or +-Inf for FP16 Inf weights), NaN made canonical.
  float special_block_term(const uint8_t* a_codes, const uint16_t* w_codes, int n, uint8_t sa_code, uint8_t sb_code);

  // D[m][n] of a x b^T (a: M x K E2M1 activations, b: N x K weights of the configured format), and the whole GEMM.
  // Throw nvfp4::Error naming the tensor when a scheme, K or block size does not fit the engine.
  float dot(const QuantizedTensor& a, int64_t m, const QuantizedTensor& b, int64_t n);
  std::vector<float> gemm(const QuantizedTensor& a, const QuantizedTensor& b);
  // The accumulator register after the last dot() (what the RTL's output port holds before the tensor scale).
  uint64_t last_accumulator_bits() const { return acc_.register_bits(); }

  const EngineActions& actions() const { return actions_; }
  void reset_actions() { actions_ = {}; }

 private:
  void count_beats_and_adds(int64_t kb, int len, int blk);  // the geometry of block kb (dot() computes the values)

  EngineConfig cfg_;
  std::unique_ptr<LaneMultiplier> mul_;
  Accumulator acc_;
  EngineActions actions_;
};

// The engine's view of a tensor's scheme: its element format, or an nvfp4::Error naming `what` for schemes the
// datapath has no lane for (int4) or whose scale is not UE4M3 (mxfp4's UE8M0).
WeightFormat element_format_of(const QuantizedTensor& t, const char* what);
// The UE4M3 code of block k of row r (kUnitScaleCode for schemes without block scale).
uint8_t block_scale_code(const QuantizedTensor& t, int64_t r, int64_t k);
// Round sign * mag * 2^exp2 to fp32, nearest-even (subnormals and overflow to Inf as IEEE).
float round_to_fp32(bool negative, uint64_t mag, int exp2);

}  // namespace nvfp4::lut
