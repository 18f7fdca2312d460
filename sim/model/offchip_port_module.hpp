// The off-chip memory port as a TLM-2.0 target: a burst of b bits takes ceil(b / (8 x bandwidth)) cycles, plus the
// latency when it opens a new stream; every bit is counted for the energy model (pJ/bit).
#pragma once
#include <systemc>
#include <tlm>

#include <cstdint>
#include <utility>

#include "sim/config/sim_config.hpp"
#include "sim/model/blocking_target.hpp"
#include "sim/model/recent_two.hpp"

namespace nvfp4::sim {

class OffchipPortModule : public BlockingTarget {
 public:
  OffchipPortModule(sc_core::sc_module_name name, const OffchipSpec& spec, sc_core::sc_time clock);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;
  uint64_t bits() const { return bits_; }
  // Cycles a burst of `bits` occupies the port (without latency).
  int64_t transfer_cycles(uint64_t bits) const;

 private:
  OffchipSpec spec_;
  sc_core::sc_time clock_;
  uint64_t bits_ = 0;
  // The port time of the last two bursts (bits, latency paid or not): building an sc_time (sc_time::from_value, out
  // of line) and the double division were most of the port's time in the fold loop.
  sc_core::sc_time burst_time(uint64_t bits, bool latency) const;
  RecentTwo<std::pair<uint64_t, bool>, sc_core::sc_time> memo_;
};

}  // namespace nvfp4::sim
