// One on-chip SRAM bank as a TLM-2.0 target (docs/sim.md, "Memories"): counts word reads/writes and SECDED
// encodes/decodes, and annotates the cycles its ports need: ceil(words / ports). Tile bursts (BurstExtension) carry
// no data; plain payloads read and write the bank's storage (the data-memory view of the virtual platform), an
// ecc::ProtectedMemory: reads come through the bank's persistent fault map and SECDED decoders.
#pragma once
#include <systemc>
#include <tlm>

#include <cstdint>
#include <vector>

#include "ecc/protected_memory.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/energy/action_counts.hpp"
#include "sim/model/blocking_target.hpp"
#include "sim/model/recent_two.hpp"

namespace nvfp4::sim {

class SramBankModule : public BlockingTarget {
 public:
  SramBankModule(sc_core::sc_module_name name, const SramBankConfig& config, double protected_fraction,
                 sc_core::sc_time clock, ecc::ProtectedMemory memory);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;

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
  // What a burst of `bits` costs: words, SECDED codewords and port time (ceil(words / ports) cycles).
  struct BurstCost {
    uint64_t words = 0, coded = 0;
    sc_core::sc_time time;
  };
  BurstCost cost_of(uint64_t bits) const;
  void count(uint64_t bits, bool write, sc_core::sc_time& delay);

  SramBankConfig config_;
  double protected_fraction_;
  sc_core::sc_time clock_;
  // The costs of the last two burst sizes: the divisions, the rounding of the protected fraction and building an
  // sc_time (sc_time::from_value, out of line) were most of the fold loop's bank time.
  RecentTwo<uint64_t, BurstCost> memo_;
  ecc::ProtectedMemory memory_;
  BankCounts counts_;
  ecc::MemoryReadCounts ecc_counts_;
};

}  // namespace nvfp4::sim
