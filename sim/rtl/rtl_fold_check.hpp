// nvfp4sim --datapath rtl (docs/sim.md, "Datapath in the loop"): the Verilated RTL dot engines as an SC_MODULE that
// follows the controller's schedule. For each checked fold of a selected layer it drives the fold's dot products
// into one engine instance per array position (engine (r, c) starting r + c cycles late, the systolic skew of
// rtl_models/rtl/os_array.sv), compares every result bit with the golden GEMM and measures the fold's cycles beside
// the dataflow's compute cycles for it (sim/run/rtl_report.hpp). The RTL runs inside the fold step on its own clock
// (host work, as the numerics): SystemC time follows the cycle model, which the report compares with the RTL.
// Only in builds with Verilator (library nvfp4_sim_rtl); the driver is rtl_models/driver/engine_array.hpp.
#pragma once
#include <systemc>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rtl_models/driver/engine_array.hpp"
#include "sim/run/fold_observer.hpp"
#include "sim/run/rtl_report.hpp"
#include "sim/run/simulation.hpp"

namespace nvfp4::sim {

struct RtlSelection {
  std::vector<std::string> layers;  // --rtl-layers: names (empty: every layer)
  int64_t folds = 4;                // --rtl-sample: folds per layer (all when the layer has no more)
};

// Why this design cannot run on the RTL engines ("" when it can): dataflow, lanes, formats, accumulator, array size.
std::string rtl_refusal(const SimConfig& config);

class RtlFoldCheck : public sc_core::sc_module, public FoldObserver {
 public:
  sc_core::sc_signal<uint64_t> rtl_cycles;      // RTL cycles measured so far (trace.vcd with --vcd)
  sc_core::sc_signal<uint64_t> rtl_mismatches;  // RTL outputs that differed from the golden GEMM so far

  // Throws nvfp4::Error (bad input, before any work): a design the RTL cannot run, an unknown layer name.
  RtlFoldCheck(sc_core::sc_module_name name, const Simulation& sim, const RtlSelection& selection);

  bool wants(size_t layer) const override { return slot_[layer] >= 0; }
  void operands(size_t layer, const QuantizedTensor& a, const QuantizedTensor& b,
                const std::vector<float>& golden) override;
  void fold(size_t layer, int64_t index, int64_t folds, const FoldWork& work) override;
  void trace(sc_core::sc_trace_file* f) const override;
  const RtlReport& report() const { return report_; }

 private:
  struct Held {
    QuantizedTensor a, b;
    std::vector<float> d;
  };
  std::vector<int> slot_;                  // layer -> index in report_.layers, -1 when not selected
  std::vector<std::optional<Held>> held_;  // operands of a selected layer between its numerics and its last fold
  int64_t sample_;
  ArrayGeometry geometry_;
  rtl::Engine engine_;
  rtl::EngineArray engines_;
  RtlReport report_;
  uint64_t total_cycles_ = 0, total_mismatches_ = 0;  // the signals' values
};

}  // namespace nvfp4::sim
