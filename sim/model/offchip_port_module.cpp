#include "sim/model/offchip_port_module.hpp"

#include <cmath>

#include "sim/model/burst_extension.hpp"
#include "sim/model/cycle_time.hpp"

namespace nvfp4::sim {

OffchipPortModule::OffchipPortModule(sc_core::sc_module_name name, const OffchipSpec& spec, sc_core::sc_time clock)
    : BlockingTarget(name), spec_(spec), clock_(clock), memo_({0, false}, burst_time(0, false)) {}

sc_core::sc_time OffchipPortModule::burst_time(uint64_t bits, bool latency) const {
  return cycles_time(clock_, transfer_cycles(bits) + (latency ? spec_.latency_cycles : 0));
}

int64_t OffchipPortModule::transfer_cycles(uint64_t bits) const {
  return static_cast<int64_t>(std::ceil(static_cast<double>(bits) / (8.0 * spec_.bandwidth_bytes_per_cycle)));
}

void OffchipPortModule::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  auto* burst = trans.get_extension<BurstExtension>();
  const uint64_t bits = burst ? burst->bits : uint64_t{trans.get_data_length()} * 8;
  const bool latency = burst && burst->pay_latency;
  bits_ += bits;
  // A layer's folds alternate a tile fetch and an output drain.
  delay += memo_.get({bits, latency},
                     [this](const std::pair<uint64_t, bool>& key) { return burst_time(key.first, key.second); });
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace nvfp4::sim
