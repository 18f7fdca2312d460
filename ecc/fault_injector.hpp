// Fault injection into a stored quantized tensor through SRAM banks and an ECC policy (docs/ecc.md, "Injector").
//
// Storage: the layout's protected bits go to the "protected" bank (SECDED codewords of word_bits + r + 1 cells, or
// plain word_bits words when protected_code == None), the unprotected bits to the "data" bank (word_bits cells per
// word). Mixed voltage = protected_vdd_v at nominal while vdd_v is scaled. Each bank is read once (read index
// `read_index`), codewords are decoded, and the result is scattered back into a copy of the tensor.
// Counts are per field (codes, block scales, tensor scale, check bits). A data bit is
//   raw error:  the bit read from the cells differs from the stored bit
//   corrected:  a raw error that the decoder put right
//   due:        wrong after decoding, in a codeword flagged DetectedUncorrectable (data as read, or zeroed: on_due)
//   silent:     wrong after decoding and not flagged (unprotected bits, undetected or miscorrected codewords)
// Deterministic: the same tensor, config and seed give the same bits and counts.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecc/failure_model.hpp"
#include "ecc/protection_layout.hpp"
#include "ecc/sram_bank.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::ecc {

enum class ProtectedCode : uint8_t { Secded, None };  // "secded", "none"
ProtectedCode parse_protected_code(std::string_view);
std::string_view to_string(ProtectedCode);

// What the memory controller delivers for a word flagged detected-uncorrectable: the data as read ("keep"), or all
// zero data bits ("zero": E2M1 code 0 is +0 and a zero scale zeroes its block, so a flagged word cannot inject a
// large value).
enum class DuePolicy : uint8_t { Keep, Zero };
DuePolicy parse_due_policy(std::string_view);  // "keep", "zero"
std::string_view to_string(DuePolicy);

struct InjectionConfig {
  ProtectionLayout layout;                       // ProtectionLayout::parse(name, scheme)
  int word_bits = 64;                            // SECDED data width / SRAM data word, 4..128
  ProtectedCode protected_code = ProtectedCode::Secded;
  double vdd_v = 1.0;                            // data (unprotected) bank
  double protected_vdd_v = -1.0;                 // protected bank; < 0 means "same as vdd_v"
  std::shared_ptr<const FailureModel> failure;   // p(V), required
  FaultKind fault = FaultKind::PersistentFlip;
  uint64_t seed = 0;
  uint64_t read_index = 0;                       // transient faults: which read
  DuePolicy on_due = DuePolicy::Keep;
};

struct FieldCounts {
  uint64_t bits_stored = 0;       // data bits of this field (check bits for Field::CheckBits)
  uint64_t raw_bit_errors = 0;
  uint64_t corrected_bits = 0;
  uint64_t due_bits = 0;
  uint64_t silent_bit_errors = 0;
};

struct InjectionReport {
  std::array<FieldCounts, kFieldCount> fields{};  // indexed by Field
  StorageFootprint footprint;
  double data_bank_ber = 0.0;                     // p(vdd_v)
  double protected_bank_ber = 0.0;                // p(protected_vdd_v)
  uint64_t codewords = 0;
  uint64_t corrected_words = 0;
  uint64_t due_words = 0;
  uint64_t miscorrected_words = 0;                // decoder said clean/corrected, data wrong
  const FieldCounts& operator[](Field f) const { return fields[static_cast<int>(f)]; }
  FieldCounts total_data() const;                 // codes + block scales + tensor scale
};

struct InjectionResult {
  QuantizedTensor faulty;
  InjectionReport report;
};

// Throws nvfp4::Error on an invalid config (voltages, word width, missing failure model).
InjectionResult inject_faults(const QuantizedTensor& q, const InjectionConfig& config);
// The same in place: q is read back into itself. With `only`, only that field's bits are written back and only its
// data counts reported, equal to inject_faults' (the other fields keep their stored bits, their counts read 0; check
// bits and codewords are counted as without `only`; a plain region holding none of the field's bits is not read): a
// tensor whose fields live in different banks is read back bank by bank into one copy (sim/faults/operand_faults.cpp).
InjectionReport inject_faults_in_place(QuantizedTensor& q, const InjectionConfig& config,
                                       std::optional<Field> only = std::nullopt);

// Expected fraction of data bits delivered wrong without a flag, for independent cell failures (flip model) with
// probability p_data in the data bank and p_protected in the protected bank:
//   (p_data * U + N_w * P3(n, p_protected) * E[wrong data bits | 3 errors]) / D
// with U unprotected bits, N_w codewords of n cells, P3 = C(n,3) p^3 (1-p)^(n-3), D all data bits. Patterns of 4 or
// more errors are left out; their weight is below C(n,4) p^4 per word (docs/ecc.md gives the bound).
// Without SECDED the protected bits contribute p_protected each.
double analytic_silent_bit_rate(const QuantizedTensor& q, const InjectionConfig& config);

// Error of a GEMM output against the fault-free golden output (same shape).
struct GemmErrorReport {
  int64_t outputs = 0;
  int64_t nonfinite = 0;          // faulty outputs that are NaN or Inf (golden finite); left out of the figures below
  int64_t differing = 0;          // outputs whose bits differ
  double sqnr_db = 0.0;           // 10 log10(sum golden^2 / sum (golden - faulty)^2); +inf when equal
  double max_abs_error = 0.0;
};
GemmErrorReport compare_outputs(const std::vector<float>& golden, const std::vector<float>& faulty);

}  // namespace nvfp4::ecc
