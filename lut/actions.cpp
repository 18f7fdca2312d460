#include "lut/actions.hpp"

#include <algorithm>

#include "numerics/ceil_div.hpp"

namespace nvfp4::lut {

EngineActions& EngineActions::operator+=(const EngineActions& o) {
  beats += o.beats;
  lane_multiplies += o.lane_multiplies;
  zero_operand_multiplies += o.zero_operand_multiplies;
  table_lookups += o.table_lookups;
  adder_tree_adds += o.adder_tree_adds;
  scale_unit_ops += o.scale_unit_ops;
  accumulator_updates += o.accumulator_updates;
  fixed_saturations += o.fixed_saturations;
  return *this;
}

EngineActions dot_actions(int lanes, int block, int64_t K) {
  const int64_t L = lanes, B = block;
  const int64_t beats = ceil_div(K, L), blocks = ceil_div(K, B);
  EngineActions a;
  a.beats = static_cast<uint64_t>(beats);
  a.lane_multiplies = static_cast<uint64_t>(K);
  // B >= L: every beat fills the whole tree, each block after its first beat adds into the partial-sum register.
  // L > B: each block has its own sub-tree of B lanes.
  a.adder_tree_adds = static_cast<uint64_t>(B >= L ? beats * (L - 1) + (beats - blocks) : blocks * (B - 1));
  a.scale_unit_ops = a.accumulator_updates = static_cast<uint64_t>(blocks);
  return a;
}

}  // namespace nvfp4::lut
