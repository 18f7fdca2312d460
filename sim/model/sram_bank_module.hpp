// One on-chip SRAM bank as a TLM-2.0 target (docs/sim.md, "Memories"): counts word reads/writes and SECDED
// encodes/decodes, and annotates the cycles its ports need: ceil(words / ports). Tile bursts (BurstExtension) carry
// no data; plain payloads read and write the bank's storage (the data-memory view of the virtual platform).
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <vector>

#include "sim/config/sim_config.hpp"
#include "sim/energy/action_counts.hpp"

namespace nvfp4::sim {

class SramBankModule : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<SramBankModule> socket;

  SramBankModule(sc_core::sc_module_name name, const SramBankConfig& config, double protected_fraction,
                 sc_core::sc_time clock);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const BankCounts& counts() const { return counts_; }
  uint64_t size_bytes() const { return storage_.size(); }
  const SramBankConfig& config() const { return config_; }

 private:
  void count(uint64_t bits, bool write, sc_core::sc_time& delay);

  SramBankConfig config_;
  double protected_fraction_;
  sc_core::sc_time clock_;
  std::vector<uint8_t> storage_;
  BankCounts counts_;
};

}  // namespace nvfp4::sim
