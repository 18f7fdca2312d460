// Extended Hamming SECDED code for any data width k in 4..128 (docs/ecc.md, "Codes").
//
// Systematic codeword layout, n = k + r + 1 bits:
//   bits [0, k)        data bits d_0 .. d_{k-1}
//   bits [k, k + r)    Hamming check bits c_0 .. c_{r-1}, r the smallest with 2^r >= k + r + 1
//   bit  k + r         overall parity: XOR of all other n - 1 bits (even parity over the whole codeword)
// Each position has a syndrome column: check bit c_j has column 2^j; data bit d_i has the i-th integer >= 3 that is
// not a power of two (3, 5, 6, 7, 9, ...), i.e. the classic Hamming position order with the check positions removed.
// c_j = XOR of the data bits whose column has bit j set. The Verilog in rtl_models/ecc/ uses the same columns.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "ecc/wide_word.hpp"

namespace nvfp4::ecc {

enum class DecodeStatus : uint8_t {
  Clean,                  // syndrome 0 and parity even: data returned as stored
  Corrected,              // odd parity and a syndrome naming a position: that one bit was flipped back
  DetectedUncorrectable,  // even parity with non-zero syndrome (double error), or a syndrome naming no position
};
std::string_view to_string(DecodeStatus);

struct DecodeResult {
  WideWord data;                       // k data bits (as stored when DetectedUncorrectable)
  DecodeStatus status = DecodeStatus::Clean;
  int corrected_bit = -1;              // codeword bit index that was flipped back (Corrected only), else -1
};

class SecdedCode {
 public:
  static constexpr int kMinDataBits = 4;
  static constexpr int kMaxDataBits = 128;

  // Throws nvfp4::Error when data_bits is outside [4, 128].
  explicit SecdedCode(int data_bits);
  // check_bits() of the code for data_bits, with the constructor's range check and message, without building the
  // code's tables (the width checks and storage footprints of every layer).
  static int check_bits_for(int data_bits);

  int data_bits() const { return k_; }
  int hamming_bits() const { return r_; }             // r
  int check_bits() const { return r_ + 1; }           // r + overall parity
  int codeword_bits() const { return k_ + r_ + 1; }   // n
  // Syndrome column of codeword bit `pos` (0 for the overall parity bit).
  uint32_t column(int pos) const { return columns_[pos]; }

  // data: the low k bits are used, higher bits must be zero. Returns the n-bit codeword.
  WideWord encode(const WideWord& data) const;
  // Check bits only (r + 1 bits: c_0..c_{r-1}, then overall parity in bit r) of a k-bit data word.
  uint32_t check_bits_of(const WideWord& data) const;
  DecodeResult decode(const WideWord& codeword) const;
  // decode()'s decision from a codeword's syndrome, overall parity (odd = an odd number of 1 bits) and k data bits:
  // for callers that know them already (a sparse error pattern's syndrome is the XOR of its bits' columns).
  DecodeResult decide(uint32_t syndrome, bool odd, const WideWord& data) const;
  // The r-bit syndrome of a codeword (0 for a codeword with no detectable Hamming error).
  uint32_t syndrome(const WideWord& codeword) const;

 private:
  int k_;
  int r_;
  std::vector<uint32_t> columns_;           // per codeword position
  std::vector<WideWord> check_masks_;        // r masks over the data bits
  std::vector<int16_t> position_of_syndrome_; // 2^r entries: codeword position with that column, or -1
};

// Counts of an exhaustive or sampled error-pattern experiment over one code (used by tests and docs/ecc.md).
struct PatternStats {
  uint64_t patterns = 0;
  uint64_t clean = 0;          // decoder saw nothing (undetected)
  uint64_t corrected = 0;      // decoder claims a correction and the data is right
  uint64_t detected = 0;       // DetectedUncorrectable
  uint64_t miscorrected = 0;   // decoder claims clean/corrected but the data is wrong
  uint64_t wrong_data_bits = 0;  // data bits wrong in the silent outcomes (clean or miscorrected), summed
};
// All C(n, 3) triple-bit error patterns on the zero codeword (the code is linear, so this covers every codeword).
// The silent-error analytics of ProtectionLayout use wrong_data_bits / patterns.
PatternStats triple_error_stats(const SecdedCode& code);

}  // namespace nvfp4::ecc
