// The top of the SystemC model (docs/sim.md, "Model structure"): four SRAM banks, the off-chip port and the controller
// driving the R x C engine array, plus a TLM-2.0 target socket exposing control registers and the bank memories
// (register_map.hpp) so the model can sit in a virtual platform.
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <memory>

#include "sim/config/sim_config.hpp"
#include "sim/dataflow/dataflow.hpp"
#include "sim/model/controller.hpp"
#include "sim/model/offchip_port_module.hpp"
#include "sim/model/register_job.hpp"
#include "sim/model/sram_bank_module.hpp"

namespace nvfp4::sim {

class Accelerator : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Accelerator> socket;

  // `dataflow` is the run's one Dataflow object (the one its layer plans were made with); it must outlive the model.
  Accelerator(sc_core::sc_module_name name, const SimConfig& config, const Dataflow& dataflow);
  Controller& controller() { return *controller_; }
  const Dataflow& dataflow() const { return dataflow_; }
  sc_core::sc_time clock() const { return clock_; }
  SramBankModule& bank(BankId id) { return *banks_[static_cast<int>(id)]; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  // Debug transport (a VP's debugger or loader): bank windows read (as decoded, no counters) and written without time
  // or side effects; registers read only. Returns the bytes transferred (0: refused).
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);
  void register_access(tlm::tlm_generic_payload& trans);
  void on_job_done(size_t done);

  void start_job();
  void refuse(regs::JobError e);
  uint32_t ecc_words(bool due) const;

  const SimConfig& config_;
  sc_core::sc_time clock_;
  const Dataflow& dataflow_;
  std::array<std::unique_ptr<SramBankModule>, kBankCount> banks_;
  std::unique_ptr<OffchipPortModule> offchip_;
  std::unique_ptr<Controller> controller_;
  JobRegisters job_;
  uint32_t status_ = 0, jobs_done_ = 0, error_ = 0;
  size_t register_jobs_ = 0;
  // The running register job's outputs (computed when it starts) and where they go; written into the outputs bank
  // when it is done.
  std::shared_ptr<std::vector<float>> pending_;
  uint64_t pending_offset_ = 0;
};

}  // namespace nvfp4::sim
