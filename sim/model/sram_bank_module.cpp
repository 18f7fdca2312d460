#include "sim/model/sram_bank_module.hpp"

#include <cmath>
#include <cstring>
#include <utility>

#include "numerics/ceil_div.hpp"
#include "sim/model/burst_extension.hpp"
#include "sim/model/cycle_time.hpp"

namespace nvfp4::sim {

SramBankModule::SramBankModule(sc_core::sc_module_name name, const SramBankConfig& config, double protected_fraction,
                               sc_core::sc_time clock, ecc::ProtectedMemory memory)
    : BlockingTarget(name), config_(config), protected_fraction_(protected_fraction), clock_(clock),
      memo_(0, cost_of(0)), memory_(std::move(memory)) {}

SramBankModule::BurstCost SramBankModule::cost_of(uint64_t bits) const {
  BurstCost c;
  c.words = ceil_div(bits, static_cast<uint64_t>(config_.word_bits));
  // Every word or none coded (the usual layouts): no floating point (ceil(words * f) is words or 0 exactly then).
  c.coded = protected_fraction_ == 1.0   ? c.words
            : protected_fraction_ == 0.0 ? 0
                                         : static_cast<uint64_t>(std::ceil(c.words * protected_fraction_));
  c.time = cycles_time(clock_, static_cast<int64_t>(ceil_div(c.words, static_cast<uint64_t>(config_.ports))));
  return c;
}

// Inlined into b_transport, its only caller: one call less per burst.
__attribute__((always_inline)) inline void SramBankModule::count(uint64_t bits, bool write,
                                                                 sc_core::sc_time& delay) {
  const BurstCost& c = memo_.get(bits, [this](uint64_t b) { return cost_of(b); });
  if (write) {
    counts_.write_words += c.words;
    counts_.ecc_encodes += c.coded;
  } else {
    counts_.read_words += c.words;
    counts_.ecc_decodes += c.coded;
  }
  delay += c.time;
}

void SramBankModule::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  if (auto* burst = trans.get_extension<BurstExtension>()) {
    count(burst->bits, write, delay);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (addr >= size_bytes() || len > size_bytes() - addr || trans.get_byte_enable_ptr()) {
    trans.set_response_status(trans.get_byte_enable_ptr() ? tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE
                                                          : tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (write) write_data(addr, trans.get_data_ptr(), len);
  else if (trans.get_command() == tlm::TLM_READ_COMMAND) read_data(addr, trans.get_data_ptr(), len);
  count(uint64_t{len} * 8, write, delay);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void SramBankModule::read_data(uint64_t offset, uint8_t* out, uint64_t len) {
  ecc_counts_ += memory_.read(static_cast<int64_t>(offset), out, static_cast<int64_t>(len));
}

void SramBankModule::write_data(uint64_t offset, const uint8_t* data, uint64_t len) {
  memory_.write(static_cast<int64_t>(offset), data, static_cast<int64_t>(len));
}

}  // namespace nvfp4::sim
