#include "sim/model/accelerator.hpp"

#include <cstring>

#include "numerics/error.hpp"
#include "sim/config/bank_protection.hpp"
#include "sim/model/register_map.hpp"

namespace nvfp4::sim {

Accelerator::Accelerator(sc_core::sc_module_name name, const SimConfig& config, const Dataflow& dataflow)
    : sc_module(name), socket("socket"), config_(config),
      clock_(sc_core::sc_time(1e3 / config.arch.clock_mhz, sc_core::SC_NS)), dataflow_(dataflow) {
  std::array<const SramBankModule*, kBankCount> bank_ptrs{};
  for (int i = 0; i < kBankCount; ++i) {
    const auto id = static_cast<BankId>(i);
    banks_[i] = std::make_unique<SramBankModule>(("sram_" + std::string(kBankNames[i])).c_str(),
                                                 bank_config(config.arch, id), protected_fraction(config.arch, id),
                                                 clock_);
    bank_ptrs[i] = banks_[i].get();
  }
  offchip_ = std::make_unique<OffchipPortModule>("offchip", config.arch.offchip, clock_);
  controller_ = std::make_unique<Controller>("controller", clock_, config.run.quantum_cycles, bank_ptrs,
                                             offchip_.get());
  for (int i = 0; i < kBankCount; ++i) controller_->bank_sockets[i].bind(banks_[i]->socket);
  controller_->offchip_socket.bind(offchip_->socket);
  controller_->on_layer_done = [this](size_t done) { on_job_done(done); };
  socket.register_b_transport(this, &Accelerator::b_transport);
}

void Accelerator::on_job_done(size_t) {
  ++jobs_done_;
  if (controller_->idle()) status_ = (status_ & ~1u) | 2u;
}

void Accelerator::register_access(tlm::tlm_generic_payload& trans) {
  const uint64_t addr = trans.get_address();
  if (trans.get_data_length() != 4 || (addr & 3)) {
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  uint32_t value = 0;
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  if (write) std::memcpy(&value, trans.get_data_ptr(), 4);
  const auto& results = controller_->results();
  const LayerTiming last = results.empty() ? LayerTiming{} : results.back();
  switch (addr) {
    case regs::kId: value = regs::kIdValue; break;
    case regs::kStatus: value = status_; break;
    case regs::kM: if (write) m_ = value; else value = m_; break;
    case regs::kN: if (write) n_ = value; else value = n_; break;
    case regs::kK: if (write) k_ = value; else value = k_; break;
    case regs::kCyclesLo: value = static_cast<uint32_t>(last.cycles); break;
    case regs::kCyclesHi: value = static_cast<uint32_t>(static_cast<uint64_t>(last.cycles) >> 32); break;
    case regs::kStallsLo: value = static_cast<uint32_t>(last.stall_cycles); break;
    case regs::kStallsHi: value = static_cast<uint32_t>(static_cast<uint64_t>(last.stall_cycles) >> 32); break;
    case regs::kJobsDone: value = jobs_done_; break;
    case regs::kCtrl:
      if (write && (value & 1u)) {
        try {
          const std::string name = "register-job-" + std::to_string(register_jobs_++);
          LayerPlan plan = plan_layer(name, "CTRL register", GemmDims{m_, n_, k_}, config_, dataflow_);
          status_ = 1u;  // busy; done and error cleared
          controller_->enqueue(LayerJob{std::move(plan), {}, {}});
        } catch (const Error&) {
          status_ = 4u;  // refused: zero size or an SRAM that cannot feed the array
        }
      }
      break;
    default: trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE); return;
  }
  if (!write) std::memcpy(trans.get_data_ptr(), &value, 4);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Accelerator::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  if (addr < regs::kRegisterBytes) {
    register_access(trans);
    delay += clock_;
    return;
  }
  if (addr >= regs::kBankBase && addr < regs::kBankBase + kBankCount * regs::kBankStride) {
    const int b = static_cast<int>((addr - regs::kBankBase) / regs::kBankStride);
    trans.set_address(addr - regs::kBankBase - b * regs::kBankStride);
    banks_[b]->b_transport(trans, delay);
    trans.set_address(addr);
    return;
  }
  trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

}  // namespace nvfp4::sim
