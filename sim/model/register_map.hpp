// The accelerator's memory map as seen from its TLM-2.0 target socket (docs/sim.md, "TLM-2.0 interface"): the one
// owner of register offsets, their meaning, the job error codes and the POLICY encoding. docs/sim.md's register and
// error tables are rendered from the tables below (register_map_markdown) and checked by the test sim_register_doc.
// Registers are 32-bit, little-endian, at the start of the map; each SRAM bank's storage is a window after them.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "numerics/gemm.hpp"

namespace nvfp4::sim::regs {

inline constexpr uint64_t kId = 0x00;
inline constexpr uint64_t kCtrl = 0x04;
inline constexpr uint64_t kStatus = 0x08;
inline constexpr uint64_t kM = 0x0C;
inline constexpr uint64_t kN = 0x10;
inline constexpr uint64_t kK = 0x14;
inline constexpr uint64_t kCyclesLo = 0x18;
inline constexpr uint64_t kCyclesHi = 0x1C;
inline constexpr uint64_t kStallsLo = 0x20;
inline constexpr uint64_t kStallsHi = 0x24;
inline constexpr uint64_t kJobsDone = 0x28;
inline constexpr uint64_t kError = 0x2C;
inline constexpr uint64_t kPolicy = 0x30;
inline constexpr uint64_t kACodes = 0x34;
inline constexpr uint64_t kBCodes = 0x38;
inline constexpr uint64_t kAScales = 0x3C;
inline constexpr uint64_t kBScales = 0x40;
inline constexpr uint64_t kDOut = 0x44;
inline constexpr uint64_t kATensorScale = 0x48;
inline constexpr uint64_t kBTensorScale = 0x4C;
inline constexpr uint64_t kEccCorrected = 0x50;
inline constexpr uint64_t kEccDue = 0x54;
inline constexpr uint64_t kRegisterBytes = 0x100;
inline constexpr uint32_t kIdValue = 0x4E564634;

inline constexpr uint32_t kStatusBusy = 1u, kStatusDone = 2u, kStatusError = 4u;

// Bank b (BankId order: activations, weights, scales, outputs) occupies [kBankBase + b * kBankStride, + its size).
inline constexpr uint64_t kBankBase = 0x10000000;
inline constexpr uint64_t kBankStride = 0x01000000;

struct RegisterInfo {
  uint64_t offset;
  std::string_view name;
  std::string_view access;   // R, W, RW
  std::string_view meaning;
};

inline constexpr RegisterInfo kRegisters[] = {
    {kId, "ID", "R", "0x4E564634 (\"NVF4\")"},
    {kCtrl, "CTRL", "W", "bit 0 = 1: start a job with the registers below (refused: STATUS.error and ERROR)"},
    {kStatus, "STATUS", "R", "bit 0 busy, bit 1 done (the last job finished), bit 2 error (a start was refused)"},
    {kM, "M", "RW", "rows of A and D"},
    {kN, "N", "RW", "rows of B = columns of D"},
    {kK, "K", "RW", "reduction length, a multiple of the array's block B"},
    {kCyclesLo, "CYCLES_LO", "R", "cycles of the last job (low 32 bits)"},
    {kCyclesHi, "CYCLES_HI", "R", "cycles of the last job (high 32 bits)"},
    {kStallsLo, "STALLS_LO", "R", "stall cycles of the last job (low 32 bits)"},
    {kStallsHi, "STALLS_HI", "R", "stall cycles of the last job (high 32 bits)"},
    {kJobsDone, "JOBS_DONE", "R", "jobs completed since reset"},
    {kError, "ERROR", "R", "code of the last refused start (table below); 0 after an accepted start"},
    {kPolicy, "POLICY", "RW",
     "accumulation policy: bits 7:0 its row in numerics' registry (accum_policies()), 15:8 W, 23:16 F (fixed only, "
     "else 0); reset value: the array's `accumulator`"},
    {kACodes, "A_CODES", "RW", "byte offset of A's element codes in the activations bank"},
    {kBCodes, "B_CODES", "RW", "byte offset of B's element codes in the weights bank"},
    {kAScales, "A_SCALES", "RW", "byte offset of A's block scales in the scales bank"},
    {kBScales, "B_SCALES", "RW", "byte offset of B's block scales in the scales bank (unused without block scales)"},
    {kDOut, "D_OUT", "RW", "byte offset of D in the outputs bank, a multiple of 4"},
    {kATensorScale, "A_TENSOR_SCALE", "RW", "A's fp32 tensor scale s_tensor (IEEE bits); reset 1.0"},
    {kBTensorScale, "B_TENSOR_SCALE", "RW",
     "B's fp32 tensor scale (IEEE bits; 1.0 for schemes without one); reset 1.0"},
    {kEccCorrected, "ECC_CORRECTED", "R", "codewords the SECDED decoders corrected on reads since reset, all banks"},
    {kEccDue, "ECC_DUE", "R",
     "codewords flagged detected-uncorrectable on reads since reset, all banks (data kept as read)"},
};

// ERROR codes: why CTRL.start was refused. The job is not started; a running job is not disturbed.
enum class JobError : uint32_t {
  None = 0,
  Busy = 1,
  ZeroSize = 2,
  KNotBlockMultiple = 3,
  OutsideBank = 4,
  Overlap = 5,
  Misaligned = 6,
  UnknownPolicy = 7,
  PolicyNotSupported = 8,
  ArrayCannotFeed = 9,
};

struct JobErrorInfo {
  JobError code;
  std::string_view name;
  std::string_view meaning;
};

inline constexpr JobErrorInfo kJobErrors[] = {
    {JobError::None, "none", "the last start was accepted"},
    {JobError::Busy, "busy", "CTRL.start while a job runs (the running job continues; STATUS keeps busy)"},
    {JobError::ZeroSize, "zero-size", "M, N or K is 0"},
    {JobError::KNotBlockMultiple, "k-not-block-multiple",
     "K is not a multiple of the array's block B (rows are whole blocks)"},
    {JobError::OutsideBank, "outside-bank", "an operand, scale or output region does not fit its bank from its offset"},
    {JobError::Overlap, "overlap", "A's and B's block-scale regions overlap in the scales bank"},
    {JobError::Misaligned, "misaligned", "D_OUT is not a multiple of 4 (fp32 outputs)"},
    {JobError::UnknownPolicy, "unknown-policy",
     "POLICY names no registry row, or its W / F are out of the policy's range (or set for a policy without them)"},
    {JobError::PolicyNotSupported, "policy-not-supported",
     "a registry policy the edge array does not build (blackwell-mma)"},
    {JobError::ArrayCannotFeed, "array-cannot-feed",
     "the layer plan is refused: the SRAM cannot feed the array (docs/sim.md, \"Cycle model\")"},
};

std::string_view job_error_name(JobError e);

// POLICY register <-> AccumPolicy. decode_policy throws nvfp4::Error (AccumPolicy::parse's message for bad W / F).
uint32_t encode_policy(const AccumPolicy& p);
AccumPolicy decode_policy(uint32_t value);

// docs/sim.md's register and error tables, from kRegisters and kJobErrors.
std::string register_map_markdown();

}  // namespace nvfp4::sim::regs
