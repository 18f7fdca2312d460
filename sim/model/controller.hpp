// The controller (docs/sim.md, "Cycle model"): takes layer jobs, runs each layer's numerics once (a whole-layer
// transaction on the golden kernels), then walks the layer's folds issuing one tile transaction per bank and operand
// and one to the off-chip port, and advances local time by
//   fold cycles = max(compute cycles, each bank's port cycles, off-chip transfer cycles)
// with temporal decoupling (tlm_utils::tlm_quantumkeeper): it synchronises with the SystemC kernel once per quantum
// and at every layer boundary, never per MAC.
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "sim/energy/action_counts.hpp"
#include "sim/model/cycle_time.hpp"
#include "sim/model/layer_plan.hpp"

namespace nvfp4::sim {

class SramBankModule;
class OffchipPortModule;
struct BurstExtension;

struct LayerJob {
  LayerPlan plan;
  std::function<void()> compute;  // the layer's numerics (host work; takes no simulated time); may be empty
  // Called for each fold in schedule order, before its timing (host work, no simulated time; --datapath rtl drives
  // the RTL engines with it); may be empty.
  std::function<void(int64_t fold, const FoldWork& work)> on_fold;
};

struct LayerTiming {
  int64_t folds = 0;
  int64_t cycles = 0;          // prologue + sum of fold cycles
  int64_t compute_cycles = 0;  // sum of fold compute cycles (what SCALE-Sim calls compute cycles for L = P = 1)
  int64_t stall_cycles = 0;    // cycles - compute_cycles: waiting for SRAM ports or off-chip memory
  int64_t prologue_cycles = 0; // loading the resident operands before the first fold
  int64_t macs = 0;
  ActionCounts counts;         // bank accesses and off-chip bits of the layer (datapath counts are added later)
  double start_ns = 0, end_ns = 0;
};

class Controller : public sc_core::sc_module {
 public:
  std::array<tlm_utils::simple_initiator_socket<Controller>, kBankCount> bank_sockets;
  tlm_utils::simple_initiator_socket<Controller> offchip_socket;
  sc_core::sc_signal<bool> busy;
  sc_core::sc_signal<uint32_t> layer;
  sc_core::sc_signal<uint64_t> folds_done;

  SC_HAS_PROCESS(Controller);
  Controller(sc_core::sc_module_name name, sc_core::sc_time clock, int64_t quantum_cycles,
             std::array<const SramBankModule*, kBankCount> banks, const OffchipPortModule* offchip);

  void enqueue(LayerJob job);
  bool idle() const { return jobs_.empty() && !running_; }
  // true: the thread ends when the queue is empty (batch runs); false: it waits for more jobs (register interface).
  bool stop_when_idle = true;
  const std::vector<LayerTiming>& results() const { return results_; }
  std::function<void(size_t done)> on_layer_done;

 private:
  struct Timeline;
  struct FoldTraffic;
  void run();
  // One layer: load the resident operands, run the folds on a local cycle timeline, wait for the last outputs.
  LayerTiming run_layer(const LayerJob& job);
  int64_t load_resident(const LayerPlan& p);  // prologue cycles
  // One fold: bring in the tiles it needs, stream its rows (in chunks when planned), bound it by the SRAM ports,
  // and send its finished outputs off chip.
  void run_fold(const LayerPlan& p, const FoldWork& w, Timeline& tl);
  FoldTraffic fold_traffic(const LayerPlan& p, const FoldWork& w) const;
  int64_t refill_tiles(const LayerPlan& p, FoldTraffic& f, Timeline& tl);  // returns when the tiles are in
  int64_t fetch_chunk(const LayerPlan& p, FoldTraffic& f, Timeline& tl, int64_t j);
  int64_t stream_chunks(const LayerPlan& p, FoldTraffic& f, Timeline& tl, int64_t fold_start);  // end of the stream
  uint64_t drained_bits(const LayerPlan& p, const FoldWork& w, const FoldTraffic& f) const;
  void keep_outputs(const LayerPlan& p, FoldTraffic& f, Timeline& tl, uint64_t out_off);  // steady: into A / S banks
  int64_t fold_cycles(const LayerPlan& p, const FoldWork& w, const FoldTraffic& f, int64_t stream_cycles,
                      uint64_t out_off);
  // An off-chip read on the shared port, not before `not_before`; returns when it is done.
  int64_t fetch(Timeline& tl, uint64_t bits, int64_t not_before);
  sc_core::sc_time burst(int bank, uint64_t bits, bool write);
  sc_core::sc_time offchip(uint64_t bits, bool pay_latency);
  // A delay in whole cycles, with the last delay seen at the call site remembered.
  struct CyclesMemo {
    uint64_t delay = 0;  // ticks (0 ticks: 0 cycles)
    int64_t cycles = 0;
  };
  int64_t cycles_of(const sc_core::sc_time& d, CyclesMemo& memo) const;
  ActionCounts snapshot() const;

  sc_core::sc_time clock_;
  double inverse_clock_;         // 1 / clock ticks (cycles_of)
  CyclesMemo fetch_cycles_, drain_cycles_, busy_cycles_;  // cycles_of at the fold loop's call sites
  CycleTimeMemo compute_time_;   // a fold's compute time; the same for most folds of a layer
  CycleTimeMemo fold_time_;      // a fold's length
  tlm_utils::tlm_quantumkeeper qk_;
  std::array<const SramBankModule*, kBankCount> banks_;
  const OffchipPortModule* offchip_;
  std::deque<LayerJob> jobs_;
  sc_core::sc_event job_added_;
  bool running_ = false;
  uint64_t total_folds_ = 0;
  std::vector<LayerTiming> results_;
  tlm::tlm_generic_payload trans_;
  BurstExtension* burst_;  // trans_'s extension (the payload owns it)
};

}  // namespace nvfp4::sim
