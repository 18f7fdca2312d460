// The tile transaction: one TLM-2.0 generic payload stands for a whole burst of `bits` between the controller and a
// bank or the off-chip port, so the model spends one call per tile and operand, never one event per MAC. Payloads
// without this extension are ordinary data accesses (the virtual-platform view of the memories).
#pragma once
#include <tlm>

#include <cstdint>

namespace nvfp4::sim {

struct BurstExtension : tlm::tlm_extension<BurstExtension> {
  uint64_t bits = 0;
  bool pay_latency = false;  // off-chip: the first beat of a new stream pays the port's latency
  tlm::tlm_extension_base* clone() const override { return new BurstExtension(*this); }  // TLM API owns the copy
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const BurstExtension&>(other);
  }
};

}  // namespace nvfp4::sim
