// A GEMM job programmed through the register map (docs/sim.md, "TLM-2.0 interface"): its registers, where its
// operands lie in the banks (the numerics core's storage layout, NVFP4_SPEC.md section 6), the checks that refuse bad
// programming with an ERROR code, and its numerics: the operands as the banks deliver them (persistent fault maps,
// SECDED decoders) through the golden GEMM under the programmed policy.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "numerics/gemm.hpp"
#include "numerics/quantized_tensor.hpp"
#include "sim/config/banks.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/model/register_map.hpp"

namespace nvfp4::sim {

class SramBankModule;

struct JobRegisters {
  uint32_t m = 0, n = 0, k = 0;
  uint32_t policy = 0;
  uint32_t a_codes = 0, b_codes = 0, a_scales = 0, b_scales = 0, d_out = 0;  // byte offsets in their banks
  uint32_t a_tensor_scale = 0x3F800000, b_tensor_scale = 0x3F800000;       // fp32 bits, reset 1.0
};

// One region of a bank: [offset, offset + bytes). bytes saturates at UINT64_MAX for absurd sizes.
struct BankRegion {
  BankId bank = BankId::Activations;
  uint64_t offset = 0, bytes = 0;
  const char* what = "";
};

// A's codes (activations bank: M rows x K E2M1 codes, two per byte, low nibble first), B's codes (weights bank: N
// rows x K codes of the array's weight format), A's and B's block scales (scales bank: rows x K / B scale codes,
// row-major; none for weight formats without block scales), D (outputs bank: M x N fp32, row-major, little-endian).
struct JobLayout {
  BankRegion a_codes, b_codes, a_scales, b_scales, d;
};
JobLayout job_layout(const JobRegisters& r, const SimConfig& config);

struct JobCheck {
  regs::JobError error = regs::JobError::None;
  std::string why;     // for a refused job: what was wrong, in words (the host sees the code)
  AccumPolicy policy;  // the decoded POLICY of an accepted job
};
// Every check of the programming before a job starts, in this order: policy, sizes, block multiple, D_OUT alignment,
// regions inside their banks, scale overlap (the layer plan is checked by the caller).
JobCheck check_job(const JobRegisters& r, const SimConfig& config, const std::array<uint64_t, kBankCount>& bank_bytes);

// The job's operands as read from the banks (through each bank's fault map and decoders), with the tensor scales of
// the registers.
QuantizedTensor read_job_operand(const JobRegisters& r, const SimConfig& config, int operand,
                                 const std::array<SramBankModule*, kBankCount>& banks);
// D = gemm(A, B) under `policy` over the operands read from the banks (M x N, row-major).
std::vector<float> compute_job(const JobRegisters& r, const AccumPolicy& policy, const SimConfig& config,
                               const std::array<SramBankModule*, kBankCount>& banks);

}  // namespace nvfp4::sim
