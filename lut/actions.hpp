// Action counts of the dot-product engine (lut/engine.hpp) and their closed form per dot product. The closed form is
// the one definition of the datapath counts: sim/ multiplies it by a layer's outputs (analytic, not per MAC), and
// tests/lut requires DotEngine's running counters to equal it, so neither side can drift alone.
#pragma once
#include <cstdint>

namespace nvfp4::lut {

// Action counts; energy = counts x energy per action (sim/). All counts are per engine.
struct EngineActions {
  uint64_t beats = 0;                    // engine cycles with valid input (L lane slots each)
  uint64_t lane_multiplies = 0;          // products of the configured style (padding lanes of a partial block excluded)
  uint64_t zero_operand_multiplies = 0;  // of those, with a zero activation or weight (clock-gating opportunity)
  uint64_t table_lookups = 0;            // LUT reads: lane_multiplies x style's lookups per product
  uint64_t adder_tree_adds = 0;          // two-input adds in the tree and the partial-block sum register
  uint64_t scale_unit_ops = 0;           // block-scale products (one per block)
  uint64_t accumulator_updates = 0;      // one per block term
  uint64_t fixed_saturations = 0;        // fixed:W updates that clipped
  EngineActions& operator+=(const EngineActions& o);
  friend bool operator==(const EngineActions&, const EngineActions&) = default;
};

// The data-independent counts of one dot product of length K (K >= 1) on L = `lanes` lanes with block size B:
//   beats ceil(K / L); lane_multiplies K; scale_unit_ops = accumulator_updates = ceil(K / B);
//   adder_tree_adds: B >= L: L - 1 per beat + (beats of the block - 1) partial-sum adds per block;
//                    L > B:  B - 1 per block (its sub-tree; sub-trees left empty in the last beat are idle).
// A partial last block is zero padded to whole beats (its tree adds count), never to B elements.
// table_lookups (style), zero_operand_multiplies and fixed_saturations (data) are left 0.
EngineActions dot_actions(int lanes, int block, int64_t K);

}  // namespace nvfp4::lut
