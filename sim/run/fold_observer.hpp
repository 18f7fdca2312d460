// A check that follows the simulator's schedule fold by fold (docs/sim.md, "Datapath in the loop"): it is handed the
// operands and golden output of the layers it wants as soon as their numerics are done, then each of their folds in
// the controller's order. nvfp4sim --datapath rtl's RTL check (sim/rtl/rtl_fold_check.hpp) is one; the simulator
// itself does not depend on Verilator.
#pragma once
#include <systemc>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "numerics/quantized_tensor.hpp"
#include "sim/dataflow/dataflow.hpp"

namespace nvfp4::sim {

class FoldObserver {
 public:
  virtual ~FoldObserver() = default;
  virtual bool wants(size_t layer) const = 0;
  // The stored operands as read back from SRAM (faults included) and the golden output; may be called from the
  // numerics pool's threads, each layer once, before its first fold().
  virtual void operands(size_t layer, const QuantizedTensor& a, const QuantizedTensor& b,
                        const std::vector<float>& golden) = 0;
  // One fold of a wanted layer, in schedule order, on the SystemC thread.
  virtual void fold(size_t layer, int64_t index, int64_t folds, const FoldWork& work) = 0;
  virtual void trace(sc_core::sc_trace_file*) const {}  // its signals into trace.vcd (--vcd)
};

}  // namespace nvfp4::sim
