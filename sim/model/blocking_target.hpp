// A TLM-2.0 target that serves the blocking transport (the model's SRAM banks and off-chip port, docs/sim.md,
// "TLM-2.0 interface"): the module itself is its tlm_target_socket's forward interface, so an initiator's b_transport
// is one virtual call into the module. (A tlm_utils::simple_target_socket puts a forwarding process and a
// member-function pointer in between: about a sixth of the fold loop's instructions, on ~10^6 bursts per ResNet-18.)
// nb_transport_fw completes a BEGIN_REQ at once through b_transport (the base protocol allows TLM_COMPLETED there);
// no direct memory interface, no debug transport (the accelerator's own socket serves debug reads of the banks).
#pragma once
#include <systemc>
#include <tlm>

namespace nvfp4::sim {

class BlockingTarget : public sc_core::sc_module, public tlm::tlm_fw_transport_if<> {
 public:
  tlm::tlm_target_socket<32> socket;

  explicit BlockingTarget(sc_core::sc_module_name name) : sc_module(name), socket("socket") { socket.bind(*this); }

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) override {
    if (phase == tlm::BEGIN_REQ) {
      b_transport(trans, delay);
    } else {  // the transaction was completed at BEGIN_REQ: no other phase belongs to it
      trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    }
    phase = tlm::END_RESP;
    return tlm::TLM_COMPLETED;
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) override { return false; }
  unsigned int transport_dbg(tlm::tlm_generic_payload&) override { return 0; }
};

}  // namespace nvfp4::sim
