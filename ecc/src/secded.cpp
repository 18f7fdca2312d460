// Extended Hamming SECDED: construction of the syndrome columns, encode, decode (see ecc/secded.hpp for the layout).
#include "ecc/secded.hpp"

#include <string>

#include "numerics/error.hpp"

namespace nvfp4::ecc {

std::string_view to_string(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::Clean: return "clean";
    case DecodeStatus::Corrected: return "corrected";
    case DecodeStatus::DetectedUncorrectable: return "detected-uncorrectable";
  }
  return "?";
}

namespace {
bool is_power_of_two(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

// r: the fewest Hamming bits with 2^r >= k + r + 1; throws for a width outside [4, 128].
int hamming_bits_for(int k) {
  if (k < SecdedCode::kMinDataBits || k > SecdedCode::kMaxDataBits) {
    throw Error("SECDED data width " + std::to_string(k) + " is out of range: must be " +
                std::to_string(SecdedCode::kMinDataBits) + ".." + std::to_string(SecdedCode::kMaxDataBits) + " bits");
  }
  int r = 0;
  while ((1 << r) < k + r + 1) ++r;
  return r;
}
}  // namespace

int SecdedCode::check_bits_for(int data_bits) { return hamming_bits_for(data_bits) + 1; }

SecdedCode::SecdedCode(int data_bits) : k_(data_bits), r_(hamming_bits_for(data_bits)) {
  const int n = k_ + r_ + 1;
  columns_.assign(static_cast<size_t>(n), 0);
  uint32_t next = 3;
  for (int i = 0; i < k_; ++i) {
    while (is_power_of_two(next)) ++next;
    columns_[static_cast<size_t>(i)] = next++;
  }
  for (int j = 0; j < r_; ++j) columns_[static_cast<size_t>(k_ + j)] = uint32_t{1} << j;
  columns_[static_cast<size_t>(k_ + r_)] = 0;  // overall parity

  check_masks_.assign(static_cast<size_t>(r_), WideWord{});
  for (int i = 0; i < k_; ++i) {
    for (int j = 0; j < r_; ++j) {
      if ((columns_[static_cast<size_t>(i)] >> j) & 1u) check_masks_[static_cast<size_t>(j)].set(i, true);
    }
  }
  position_of_syndrome_.assign(size_t{1} << r_, -1);
  for (int pos = 0; pos < k_ + r_; ++pos) {
    position_of_syndrome_[columns_[static_cast<size_t>(pos)]] = static_cast<int16_t>(pos);
  }
}

uint32_t SecdedCode::check_bits_of(const WideWord& data) const {
  uint32_t checks = 0;
  for (int j = 0; j < r_; ++j) {
    if (data.parity_and(check_masks_[static_cast<size_t>(j)])) checks |= uint32_t{1} << j;
  }
  // Overall parity makes the whole codeword even: parity(data) ^ parity(checks).
  const bool data_parity = data.parity();
  const bool check_parity = (std::popcount(checks) & 1) != 0;
  if (data_parity != check_parity) checks |= uint32_t{1} << r_;
  return checks;
}

WideWord SecdedCode::encode(const WideWord& data) const {
  WideWord cw = data.low_bits(k_);
  const uint32_t checks = check_bits_of(cw);
  for (int j = 0; j <= r_; ++j) cw.set(k_ + j, (checks >> j) & 1u);
  return cw;
}

uint32_t SecdedCode::syndrome(const WideWord& codeword) const {
  uint32_t s = 0;
  for (int j = 0; j < r_; ++j) {
    const bool recomputed = codeword.parity_and(check_masks_[static_cast<size_t>(j)]);
    if (recomputed != codeword.get(k_ + j)) s |= uint32_t{1} << j;
  }
  return s;
}

DecodeResult SecdedCode::decode(const WideWord& codeword) const {
  const WideWord cw = codeword.low_bits(k_ + r_ + 1);
  return decide(syndrome(cw), cw.parity(), cw.low_bits(k_));
}

DecodeResult SecdedCode::decide(uint32_t s, bool odd, const WideWord& data) const {
  DecodeResult out;
  out.data = data;
  if (s == 0 && !odd) return out;  // clean
  if (!odd) {                       // even number of errors with a non-zero syndrome
    out.status = DecodeStatus::DetectedUncorrectable;
    return out;
  }
  // Odd parity: assume one error. Syndrome 0 means the overall parity bit itself flipped.
  const int pos = s == 0 ? k_ + r_ : position_of_syndrome_[s];
  if (pos < 0) {  // a syndrome that names no position of this (shortened) code: at least three errors
    out.status = DecodeStatus::DetectedUncorrectable;
    return out;
  }
  out.status = DecodeStatus::Corrected;
  out.corrected_bit = pos;
  if (pos < k_) out.data.flip(pos);
  return out;
}

PatternStats triple_error_stats(const SecdedCode& code) {
  PatternStats st;
  const int n = code.codeword_bits();
  const WideWord zero_cw = code.encode(WideWord{});
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      for (int c = b + 1; c < n; ++c) {
        WideWord cw = zero_cw;
        cw.flip(a);
        cw.flip(b);
        cw.flip(c);
        const DecodeResult d = code.decode(cw);
        ++st.patterns;
        if (d.status == DecodeStatus::DetectedUncorrectable) {
          ++st.detected;
          continue;
        }
        const int wrong = d.data.popcount();  // the sent data was all zeros
        if (wrong == 0) {
          ++st.corrected;
        } else {
          if (d.status == DecodeStatus::Clean) ++st.clean; else ++st.miscorrected;
          st.wrong_data_bits += static_cast<uint64_t>(wrong);
        }
      }
    }
  }
  return st;
}

}  // namespace nvfp4::ecc
