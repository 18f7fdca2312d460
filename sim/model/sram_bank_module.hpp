// One on-chip SRAM bank as a TLM-2.0 target (docs/sim.md, "Memories"): counts word reads/writes and SECDED
// encodes/decodes, and annotates the cycles its ports need: ceil(words / ports). Tile bursts (BurstExtension) carry
// no data; plain payloads read and write the bank's storage (the data-memory view of the virtual platform), an
// ecc::ProtectedMemory: reads come through the bank's persistent fault map and SECDED decoders.
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <vector>

#include "ecc/protected_memory.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/energy/action_counts.hpp"

namespace nvfp4::sim {

class SramBankModule : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<SramBankModule> socket;

  SramBankModule(sc_core::sc_module_name name, const SramBankConfig& config, double protected_fraction,
                 sc_core::sc_time clock, ecc::ProtectedMemory memory);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const BankCounts& counts() const { return counts_; }
  uint64_t size_bytes() const { return static_cast<uint64_t>(memory_.bytes()); }
  // The accelerator's own data path into the storage (a job's operand reads and output writes): the same fault map
  // and decoders as a socket access; the port time and word counts of a job are the controller's bursts, not these.
  void read_data(uint64_t offset, uint8_t* out, uint64_t len);
  void write_data(uint64_t offset, const uint8_t* data, uint64_t len);
  // A debugger's view: what a read would deliver, without counting it.
  void debug_read(uint64_t offset, uint8_t* out, uint64_t len) const {
    memory_.read(static_cast<int64_t>(offset), out, static_cast<int64_t>(len));
  }
  // What every read so far delivered (socket and job): corrected / detected-uncorrectable codewords, and the bit
  // counts only a simulator knows (raw, corrected, silent).
  const ecc::MemoryReadCounts& ecc_counts() const { return ecc_counts_; }
  const ecc::ProtectedMemory& memory() const { return memory_; }
  const SramBankConfig& config() const { return config_; }

 private:
  void count(uint64_t bits, bool write, sc_core::sc_time& delay);

  SramBankConfig config_;
  double protected_fraction_;
  sc_core::sc_time clock_;
  // The port time of the last burst's cycle count: a layer's folds repeat the same few counts, and building an
  // sc_time (sc_time::from_value, out of line) was a tenth of the fold loop.
  int64_t last_cycles_ = -1;
  sc_core::sc_time last_time_;
  ecc::ProtectedMemory memory_;
  BankCounts counts_;
  ecc::MemoryReadCounts ecc_counts_;
};

}  // namespace nvfp4::sim
