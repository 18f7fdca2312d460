// What nvfp4sim --datapath rtl found (docs/sim.md, "Datapath in the loop"): per selected layer, the RTL engines'
// outputs on the checked folds against the golden GEMM, bit for bit, and the RTL's measured cycles beside the
// simulator's cycle model for the same folds. Plain data (no Verilator): filled by sim/rtl/, written here into
// DIR/rtl.csv, summary.json ("rtl") and the printed summary.
//
// Cycles of one os fold of rows x cols outputs (the fold's dot products on rows x cols engine instances, engine
// (r, c) starting r + c cycles late as in the systolic array, rtl_models/rtl/os_array.sv):
//   model    ceil(K / L) + R + C - 2 + (P - 1)               (sim/dataflow/output_stationary.cpp)
//   RTL      ceil(K / L) + (rows - 1) + (cols - 1) + latency  (measured: first beat in to last result taken)
// so RTL - model = folds x (latency - (P - 1)) - edge, where edge = sum over the checked folds of (R - rows) +
// (C - cols): the skew the model (as SCALE-Sim) charges a partial fold for engines it leaves idle.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::sim {

struct RtlLayerCheck {
  size_t layer = 0;
  std::string name;
  int64_t folds = 0, folds_checked = 0;
  int64_t outputs = 0, mismatches = 0;
  int64_t nonzero = 0;      // golden outputs whose bits are not all zero (all zero proves nothing)
  std::string first;        // "[m][n] (fold f): rtl 0x.. (v) golden 0x.. (v)"
  int64_t rtl_cycles = 0, model_cycles = 0;  // sums over the checked folds
  int64_t edge_cycles = 0;  // see above
  int64_t latency = -1;     // measured RTL latency after a fold's last beat; -2: not the same in every fold
  bool equal() const { return outputs > 0 && mismatches == 0 && nonzero > 0; }
};

struct RtlReport {
  std::string engine;        // the Verilated engine (rtl_models/driver/engine_array.hpp)
  int model_latency = 0;     // the simulator's P - 1
  int64_t sample = 0;        // --rtl-sample: folds per layer
  std::vector<RtlLayerCheck> layers;
  // RTL - model = folds x (latency - (P - 1)) - edge holds with one latency for every fold.
  bool cycles_explained(const RtlLayerCheck& l) const;
  int failures() const;      // layers not equal or whose cycles are not explained
};

void write_rtl_csv(const std::string& path, const RtlReport& r);
std::string rtl_json(const RtlReport& r);  // the value of summary.json's "rtl"
std::string rtl_text(const RtlReport& r);  // lines of the printed summary
// The sentence the report gives for the cycle difference.
std::string rtl_cycle_reason(const RtlReport& r, const RtlLayerCheck& l);

}  // namespace nvfp4::sim
