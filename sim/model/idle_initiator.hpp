// Binds the accelerator's TLM target socket when no virtual platform drives it (a batch run): SystemC refuses to
// elaborate with an unbound socket.
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace nvfp4::sim {

struct IdleInitiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<IdleInitiator> socket;
  explicit IdleInitiator(sc_core::sc_module_name name) : sc_module(name), socket("socket") {}
};

}  // namespace nvfp4::sim
