#include "sim/model/register_job.hpp"

#include <bit>
#include <limits>

#include "numerics/error.hpp"
#include "sim/model/sram_bank_module.hpp"

namespace nvfp4::sim {
namespace {

uint64_t sat_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return std::numeric_limits<uint64_t>::max();
  return a * b;
}

// A tensor shell of the operand (spec and shape, no data): the numerics core says how many bytes its codes and
// scales take (QuantizedTensor::row_stride_bytes, blocks_per_row).
QuantizedTensor shell(const JobRegisters& r, const SimConfig& config, int operand) {
  QuantizedTensor q;
  q.spec = operand == 0 ? config.activation_spec() : config.weight_spec();
  q.rows = operand == 0 ? r.m : r.n;
  q.cols = r.k;
  return q;
}

uint64_t code_bytes(const QuantizedTensor& q) {
  return sat_mul(static_cast<uint64_t>(q.rows), static_cast<uint64_t>(q.row_stride_bytes()));
}

uint64_t scale_region_bytes(const QuantizedTensor& q) {
  if (!has_block_scale(q.spec.scheme)) return 0;
  return sat_mul(sat_mul(static_cast<uint64_t>(q.rows), static_cast<uint64_t>(q.blocks_per_row())),
                 static_cast<uint64_t>(scale_bytes(q.spec.scheme)));
}

}  // namespace

JobLayout job_layout(const JobRegisters& r, const SimConfig& config) {
  const QuantizedTensor a = shell(r, config, 0), b = shell(r, config, 1);
  JobLayout l;
  l.a_codes = {BankId::Activations, r.a_codes, code_bytes(a), "A's codes (A_CODES)"};
  l.b_codes = {BankId::Weights, r.b_codes, code_bytes(b), "B's codes (B_CODES)"};
  l.a_scales = {BankId::Scales, r.a_scales, scale_region_bytes(a), "A's block scales (A_SCALES)"};
  l.b_scales = {BankId::Scales, r.b_scales, scale_region_bytes(b), "B's block scales (B_SCALES)"};
  l.d = {BankId::Outputs, r.d_out, sat_mul(sat_mul(r.m, r.n), 4), "D (D_OUT)"};
  return l;
}

JobCheck check_job(const JobRegisters& r, const SimConfig& config, const std::array<uint64_t, kBankCount>& bank_bytes) {
  using regs::JobError;
  JobCheck c;
  auto refuse = [&](JobError e, std::string why) {
    c.error = e;
    c.why = std::move(why);
    return c;
  };
  try {
    c.policy = regs::decode_policy(r.policy);
  } catch (const Error& e) {
    return refuse(JobError::UnknownPolicy, e.what());
  }
  if (const std::string why = edge_accumulator_refusal(c.policy); !why.empty())
    return refuse(JobError::PolicyNotSupported, why);
  if (r.m == 0 || r.n == 0 || r.k == 0) return refuse(JobError::ZeroSize, "M, N and K must be positive");
  const int block = config.arch.array.block;
  if (r.k % static_cast<uint32_t>(block) != 0)
    return refuse(JobError::KNotBlockMultiple, "K = " + std::to_string(r.k) + " is not a multiple of the block " +
                                                   std::to_string(block));
  if (r.d_out % 4 != 0)
    return refuse(JobError::Misaligned, "D_OUT = " + std::to_string(r.d_out) + " is not a multiple of 4");
  const JobLayout l = job_layout(r, config);
  for (const BankRegion* g : {&l.a_codes, &l.b_codes, &l.a_scales, &l.b_scales, &l.d}) {
    const uint64_t size = bank_bytes[static_cast<int>(g->bank)];
    if (g->offset > size || g->bytes > size - g->offset)
      return refuse(JobError::OutsideBank, std::string(g->what) + ": " + std::to_string(g->bytes) + " bytes at " +
                                               std::to_string(g->offset) + " leave the " + std::to_string(size) +
                                               "-byte bank");
  }
  const BankRegion &sa = l.a_scales, &sb = l.b_scales;
  if (sa.bytes && sb.bytes && sa.offset < sb.offset + sb.bytes && sb.offset < sa.offset + sa.bytes)
    return refuse(JobError::Overlap, "A's and B's block scales overlap in the scales bank");
  return c;
}

QuantizedTensor read_job_operand(const JobRegisters& r, const SimConfig& config, int operand,
                                 const std::array<SramBankModule*, kBankCount>& banks) {
  const JobLayout l = job_layout(r, config);
  const BankRegion& codes = operand == 0 ? l.a_codes : l.b_codes;
  const BankRegion& scales = operand == 0 ? l.a_scales : l.b_scales;
  QuantizedTensor q = shell(r, config, operand);
  q.codes.resize(codes.bytes);
  banks[static_cast<int>(codes.bank)]->read_data(codes.offset, q.codes.data(), codes.bytes);
  q.scales.resize(scales.bytes);
  banks[static_cast<int>(scales.bank)]->read_data(scales.offset, q.scales.data(), scales.bytes);
  q.tensor_scale = std::bit_cast<float>(operand == 0 ? r.a_tensor_scale : r.b_tensor_scale);
  return q;
}

std::vector<float> compute_job(const JobRegisters& r, const AccumPolicy& policy, const SimConfig& config,
                               const std::array<SramBankModule*, kBankCount>& banks) {
  const QuantizedTensor a = read_job_operand(r, config, 0, banks), b = read_job_operand(r, config, 1, banks);
  std::vector<float> d(static_cast<size_t>(r.m) * r.n);
  gemm_into(a, b, policy, d.data(), 1);
  return d;
}

}  // namespace nvfp4::sim
