#include "sim/model/accelerator.hpp"

#include <algorithm>
#include <cstring>

#include "numerics/error.hpp"
#include "sim/config/bank_protection.hpp"
#include "sim/faults/bank_memory.hpp"
#include "sim/model/register_map.hpp"

namespace nvfp4::sim {

Accelerator::Accelerator(sc_core::sc_module_name name, const SimConfig& config, const Dataflow& dataflow)
    : sc_module(name), socket("socket"), config_(config),
      clock_(sc_core::sc_time(1e3 / config.arch.clock_mhz, sc_core::SC_NS)), dataflow_(dataflow) {
  std::array<const SramBankModule*, kBankCount> bank_ptrs{};
  const FaultSetup faults = make_fault_setup(config);
  for (int i = 0; i < kBankCount; ++i) {
    const auto id = static_cast<BankId>(i);
    banks_[i] = std::make_unique<SramBankModule>(("sram_" + std::string(kBankNames[i])).c_str(),
                                                 bank_config(config.arch, id), protected_fraction(config.arch, id),
                                                 clock_, make_bank_memory(config, id, faults));
    bank_ptrs[i] = banks_[i].get();
  }
  offchip_ = std::make_unique<OffchipPortModule>("offchip", config.arch.offchip, clock_);
  controller_ = std::make_unique<Controller>("controller", clock_, config.run.quantum_cycles, bank_ptrs,
                                             offchip_.get());
  for (int i = 0; i < kBankCount; ++i) controller_->bank_sockets[i].bind(banks_[i]->socket);
  controller_->offchip_socket.bind(offchip_->socket);
  controller_->on_layer_done = [this](size_t done) { on_job_done(done); };
  socket.register_b_transport(this, &Accelerator::b_transport);
  socket.register_transport_dbg(this, &Accelerator::transport_dbg);
  job_.policy = regs::encode_policy(config.arch.array.accumulator);
}

void Accelerator::on_job_done(size_t) {
  ++jobs_done_;
  if (pending_) {  // the register job's outputs land in the outputs bank (fp32, little-endian, row-major)
    banks_[static_cast<int>(BankId::Outputs)]->write_data(pending_offset_,
                                                          reinterpret_cast<const uint8_t*>(pending_->data()),
                                                          pending_->size() * sizeof(float));
    pending_.reset();
  }
  if (controller_->idle()) status_ = (status_ & ~regs::kStatusBusy) | regs::kStatusDone;
}

void Accelerator::refuse(regs::JobError e) {
  error_ = static_cast<uint32_t>(e);
  status_ = (status_ & regs::kStatusBusy) | regs::kStatusError;  // a running job keeps running (and busy)
}

void Accelerator::start_job() {
  if (status_ & regs::kStatusBusy) return refuse(regs::JobError::Busy);
  std::array<uint64_t, kBankCount> sizes{};
  std::array<SramBankModule*, kBankCount> banks{};
  for (int i = 0; i < kBankCount; ++i) {
    sizes[i] = banks_[i]->size_bytes();
    banks[i] = banks_[i].get();
  }
  const JobCheck check = check_job(job_, config_, sizes);
  if (check.error != regs::JobError::None) return refuse(check.error);
  LayerPlan plan;
  try {
    const std::string name = "register-job-" + std::to_string(register_jobs_);
    plan = plan_layer(name, "CTRL register", GemmDims{job_.m, job_.n, job_.k}, config_, dataflow_);
  } catch (const Error&) {
    return refuse(regs::JobError::ArrayCannotFeed);
  }
  ++register_jobs_;
  status_ = regs::kStatusBusy;  // done and error cleared
  error_ = 0;
  auto out = std::make_shared<std::vector<float>>();
  pending_ = out;
  pending_offset_ = job_.d_out;
  // The numerics run when the controller takes the job: the operands are read from the banks as they are then.
  controller_->enqueue(LayerJob{std::move(plan), [this, job = job_, policy = check.policy, banks, out] {
                                  *out = compute_job(job, policy, config_, banks);
                                }, {}});
}

uint32_t Accelerator::ecc_words(bool due) const {
  uint64_t n = 0;
  for (const auto& b : banks_) n += due ? b->ecc_counts().due_words : b->ecc_counts().corrected_words;
  return static_cast<uint32_t>(n);
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
  auto rw = [&](uint32_t& reg) {
    if (write) reg = value;
    else value = reg;
  };
  switch (addr) {
    case regs::kId: value = regs::kIdValue; break;
    case regs::kStatus: value = status_; break;
    case regs::kM: rw(job_.m); break;
    case regs::kN: rw(job_.n); break;
    case regs::kK: rw(job_.k); break;
    case regs::kPolicy: rw(job_.policy); break;
    case regs::kACodes: rw(job_.a_codes); break;
    case regs::kBCodes: rw(job_.b_codes); break;
    case regs::kAScales: rw(job_.a_scales); break;
    case regs::kBScales: rw(job_.b_scales); break;
    case regs::kDOut: rw(job_.d_out); break;
    case regs::kATensorScale: rw(job_.a_tensor_scale); break;
    case regs::kBTensorScale: rw(job_.b_tensor_scale); break;
    case regs::kError: value = error_; break;
    case regs::kEccCorrected: value = ecc_words(false); break;
    case regs::kEccDue: value = ecc_words(true); break;
    case regs::kCyclesLo: value = static_cast<uint32_t>(last.cycles); break;
    case regs::kCyclesHi: value = static_cast<uint32_t>(static_cast<uint64_t>(last.cycles) >> 32); break;
    case regs::kStallsLo: value = static_cast<uint32_t>(last.stall_cycles); break;
    case regs::kStallsHi: value = static_cast<uint32_t>(static_cast<uint64_t>(last.stall_cycles) >> 32); break;
    case regs::kJobsDone: value = jobs_done_; break;
    case regs::kCtrl:
      if (write && (value & 1u)) start_job();
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

unsigned Accelerator::transport_dbg(tlm::tlm_generic_payload& trans) {
  const uint64_t addr = trans.get_address();
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  if (addr < regs::kRegisterBytes) {
    if (write || trans.get_command() != tlm::TLM_READ_COMMAND) return 0;  // a debug write must not start a job
    register_access(trans);  // register reads have no side effects
    return trans.get_response_status() == tlm::TLM_OK_RESPONSE ? 4u : 0u;
  }
  if (addr < regs::kBankBase || addr >= regs::kBankBase + kBankCount * regs::kBankStride) return 0;
  const int b = static_cast<int>((addr - regs::kBankBase) / regs::kBankStride);
  const uint64_t off = addr - regs::kBankBase - static_cast<uint64_t>(b) * regs::kBankStride;
  const uint64_t size = banks_[b]->size_bytes();
  if (off >= size) return 0;
  const auto n = static_cast<unsigned>(std::min<uint64_t>(trans.get_data_length(), size - off));
  if (write) banks_[b]->write_data(off, trans.get_data_ptr(), n);
  else if (trans.get_command() == tlm::TLM_READ_COMMAND) banks_[b]->debug_read(off, trans.get_data_ptr(), n);
  else return 0;
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return n;
}

}  // namespace nvfp4::sim
