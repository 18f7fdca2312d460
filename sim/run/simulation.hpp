// One simulator run (docs/sim.md): configuration + workload -> per-layer timing, action counts, energy, faults and
// output quality. Two phases: validate() checks everything that can be wrong with the input (layer shapes, SRAM
// sizes, tensor files, voltages, technology table) before any simulation; run() elaborates the SystemC model once and
// simulates every layer in one sc_start().
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "numerics/quantized_tensor.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/energy/energy_model.hpp"
#include "sim/faults/operand_faults.hpp"
#include "sim/model/controller.hpp"
#include "sim/run/datapath.hpp"
#include "sim/faults/lut_faults.hpp"
#include "sim/run/fold_observer.hpp"
#include "sim/model/residency.hpp"
#include "sim/run/float_reference.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::sim {

using workload::Layer;  // a workload layer, as every tool reads it (numerics/workload.hpp)

struct LayerResult {
  LayerTiming timing;
  ActionCounts counts;     // datapath + banks + off-chip
  Breakdown energy_pj;
  Sqnr sqnr;
  bool has_sqnr = false;
  FaultCounts faults;      // both operands
  double host_seconds = 0; // wall time of the layer's numerics
  uint64_t zero_operand_products = 0;  // products (m, n, k) with a zero operand code, when operands_observed
  bool operands_observed = false;
  double host_cpu_seconds = 0;  // CPU time of the thread that ran them
  std::vector<float> output;  // kept only with save_outputs
  DatapathCheck datapath;     // --datapath engine: the engine's outputs against the golden GEMM
  int64_t lut_changed_outputs = 0;  // outputs whose bits the faulty product tables changed (sram LUT storage)
};

// The steady regime's one-time load and the retention of pinned data between inferences (docs/sim.md, "Residency").
struct SteadyState {
  ResidencySummary residency;
  LayerResult load;                // loading the pinned weights once: off-chip reads, bank writes, cycles, energy
  double retention_power_uw = 0;   // leakage of the banks that hold pinned data, at their voltages
  double inference_seconds = 0;    // simulated time of one inference
  double idle_seconds = 0;         // per inference: max(0, 1 / rate - inference time); 0 back to back
  bool rate_met = true;            // false: one inference takes longer than 1 / rate (then back to back)
  double retention_pj = 0;         // per inference: retention power x idle time
};

struct RunControl {
  bool save_outputs = false;
  bool progress = false;          // draw a progress bar on stderr
  Datapath datapath = Datapath::Golden;  // which model computes the outputs (sim/run/datapath.hpp)
  std::string vcd_path;           // empty: no waveform; else "<path>" gets SystemC's ".vcd" appended
  FoldObserver* folds = nullptr;  // --datapath rtl: follows the wanted layers' folds (sim/run/fold_observer.hpp)
  // Called for every layer with the stored operands as read back from SRAM (faults included) and the output.
  std::function<void(size_t layer, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d)>
      observe;
};

// Datapath actions of a layer on the configured engines (lane multiplies, tree adds, scale ops, accumulator updates):
// M x N x lut::dot_actions (lut/actions.hpp), the counts lut::DotEngine makes for each dot product.
ActionCounts datapath_actions(const GemmDims& d, const ArraySpec& a);

class Simulation {
 public:
  Simulation(SimConfig config, std::vector<Layer> layers, std::string workload_path);
  ~Simulation();
  // `memory_budget`: bytes as text ("" = NVFP4_MEMORY_BUDGET or the machine's memory, numerics/memory_budget.hpp);
  // `save_outputs`: every layer's output is kept to the end, so it counts against the budget too.
  void validate(const std::string& memory_budget = "", bool save_outputs = false);
  void run(const RunControl& control);  // once per process (SystemC elaborates once)

  const SimConfig& config() const { return config_; }
  const std::vector<Layer>& layers() const { return layers_; }
  const std::vector<LayerResult>& results() const { return results_; }
  const std::vector<LayerPlan>& plans() const { return plans_; }   // after validate()
  const SteadyState& steady() const { return steady_; }             // zeros in the cold regime
  const LutReadback& lut_readback() const { return lut_; }
  const EnergyModel& energy_model() const { return *energy_; }
  double host_seconds() const { return host_seconds_; }          // wall time of run()
  double host_cpu_seconds() const { return host_cpu_seconds_; }  // process CPU time of run()
  double clock_ns() const { return 1e3 / config_.arch.clock_mhz; }

 private:
  void compute_layer(size_t index, const RunControl& control);
  void finish_layer_numerics(size_t index, const RunControl& control, class NumericsPool* pool);
  struct Observed {  // a layer's operands as read back and its output, kept for RunControl::observe
    QuantizedTensor a, b;
    std::vector<float> d;
  };
  std::vector<std::optional<Observed>> observed_;

  SimConfig config_;
  std::vector<Layer> layers_;
  std::string workload_dir_;
  std::unique_ptr<EnergyModel> energy_;
  std::unique_ptr<Dataflow> dataflow_;  // made once by validate(); the plans and the model use it
  std::vector<LayerPlan> plans_;
  FaultSetup faults_;
  LutReadback lut_;  // the product tables as read back from SRAM LUT storage (faults), once per run
  std::vector<LayerResult> results_;
  SteadyState steady_;
  double host_seconds_ = 0, host_cpu_seconds_ = 0;
  bool validated_ = false;
};

}  // namespace nvfp4::sim
