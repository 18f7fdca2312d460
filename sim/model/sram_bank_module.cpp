#include "sim/model/sram_bank_module.hpp"

#include <cmath>
#include <cstring>

#include "sim/model/burst_extension.hpp"

namespace nvfp4::sim {

SramBankModule::SramBankModule(sc_core::sc_module_name name, const SramBankConfig& config, double protected_fraction,
                               sc_core::sc_time clock)
    : sc_module(name), socket("socket"), config_(config), protected_fraction_(protected_fraction), clock_(clock),
      storage_(static_cast<size_t>(config.size_kib * 1024), 0) {
  socket.register_b_transport(this, &SramBankModule::b_transport);
}

void SramBankModule::count(uint64_t bits, bool write, sc_core::sc_time& delay) {
  const uint64_t words = (bits + config_.word_bits - 1) / config_.word_bits;
  const uint64_t coded = static_cast<uint64_t>(std::ceil(words * protected_fraction_));
  if (write) {
    counts_.write_words += words;
    counts_.ecc_encodes += coded;
  } else {
    counts_.read_words += words;
    counts_.ecc_decodes += coded;
  }
  delay += clock_ * static_cast<double>((words + config_.ports - 1) / config_.ports);
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
  if (addr >= storage_.size() || len > storage_.size() - addr || trans.get_byte_enable_ptr()) {
    trans.set_response_status(trans.get_byte_enable_ptr() ? tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE
                                                          : tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (write) std::memcpy(&storage_[addr], trans.get_data_ptr(), len);
  else if (trans.get_command() == tlm::TLM_READ_COMMAND) std::memcpy(trans.get_data_ptr(), &storage_[addr], len);
  count(uint64_t{len} * 8, write, delay);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace nvfp4::sim
