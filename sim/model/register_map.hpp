// The accelerator's memory map as seen from its TLM-2.0 target socket (docs/sim.md, "TLM-2.0 interface").
// Registers are 32-bit, little-endian, at the start of the map; each SRAM bank's storage is a window after them.
#pragma once
#include <cstdint>

namespace nvfp4::sim::regs {

inline constexpr uint64_t kId = 0x00;          // R: 0x4E564634 ("NVF4")
inline constexpr uint64_t kCtrl = 0x04;        // W: 1 = run one GEMM of M x N x K (registers below) on the array
inline constexpr uint64_t kStatus = 0x08;      // R: bit 0 busy, bit 1 done, bit 2 error (the last job was refused)
inline constexpr uint64_t kM = 0x0C;           // RW
inline constexpr uint64_t kN = 0x10;           // RW
inline constexpr uint64_t kK = 0x14;           // RW
inline constexpr uint64_t kCyclesLo = 0x18;    // R: cycles of the last job
inline constexpr uint64_t kCyclesHi = 0x1C;
inline constexpr uint64_t kStallsLo = 0x20;    // R: stall cycles of the last job
inline constexpr uint64_t kStallsHi = 0x24;
inline constexpr uint64_t kJobsDone = 0x28;    // R: jobs completed since reset
inline constexpr uint64_t kRegisterBytes = 0x100;
inline constexpr uint32_t kIdValue = 0x4E564634;

// Bank b (BankId order: activations, weights, scales, outputs) occupies [kBankBase + b * kBankStride, + its size).
inline constexpr uint64_t kBankBase = 0x10000000;
inline constexpr uint64_t kBankStride = 0x01000000;

}  // namespace nvfp4::sim::regs
