// An address-mapped SRAM with selective SECDED protection and persistent bit-cell faults (docs/ecc.md, section 4,
// "Protected memory"): the storage a virtual platform writes and reads byte by byte, and the accelerator computes from.
//
// The memory holds `bytes` data bytes; its bit x is bit x % 8 of byte x / 8 (least significant first). The data are
// elements of `element_bits` bits (4: E2M1 codes, 8: E4M3 scales or fp8 codes, 16: fp16, 32: fp32 words) back to back,
// and `element_mask` says which bits of each element the bank's layout protects (ProtectionLayout::code_mask or
// scale_mask, fp32_word_mask). As in ecc/'s storage model (footprint_of_bits): the protected bits, in address order,
// are cut into data words of `word_bits` (the last one zero-padded), each a SECDED codeword of word_bits + r + 1 cells
// in the protected part (at protected_vdd_v), or a plain word with ProtectedCode::None (mixed voltage); the
// unprotected bits, in address order, are plain cells of the data part (at vdd_v).
// Faults are the persistent map of ecc/fault_map.hpp (stream 0; ids `bank_id` for the data part, `bank_id + 1` for the
// protected part): the same cells fail on every read, whatever is stored. A write stores the data; the check bits are
// a function of the data, so a codeword encoded at read time is the one encoded at write time. A read returns the
// data as the memory controller delivers it: corrected words put right, detected-uncorrectable words as read
// (DuePolicy::Keep) or zeroed (DuePolicy::Zero).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "ecc/failure_model.hpp"
#include "ecc/fault_injector.hpp"
#include "ecc/fault_map.hpp"
#include "ecc/sram_bank.hpp"

namespace nvfp4::ecc {

struct ProtectedMemorySpec {
  int64_t bytes = 0;
  int element_bits = 8;            // 4, 8, 16 or 32
  uint32_t element_mask = 0;       // protected bits of each element (below 2^element_bits)
  int word_bits = 64;              // data bits per SRAM word / SECDED data width, 4..128
  ProtectedCode code = ProtectedCode::Secded;
  double vdd_v = 1.0;              // data (unprotected) part
  double protected_vdd_v = -1.0;   // protected part; < 0: same as vdd_v
  FaultKind fault = FaultKind::PersistentFlip;  // persistent kinds only (a transient map changes per read)
  DuePolicy on_due = DuePolicy::Keep;
  uint64_t seed = 0;
  uint32_t bank_id = 0;            // data part; the protected part uses bank_id + 1
};

// What the reads delivered, for the data bits inside the ranges read (bits as in ecc/fault_injector.hpp), and the
// codewords the decoder saw (a codeword straddling the range counts once per read). Only corrected_words and
// due_words are visible to hardware; the bit counts need the stored truth (a simulator's privilege).
struct MemoryReadCounts {
  uint64_t raw_bit_errors = 0, corrected_bits = 0, due_bits = 0, silent_bit_errors = 0;
  uint64_t corrected_words = 0, due_words = 0;
  MemoryReadCounts& operator+=(const MemoryReadCounts& o);
};

// Not thread-safe: the fault maps are drawn by the first read (one SystemC process at a time reads a bank).
class ProtectedMemory {
 public:
  // `failure` null: a fault-free memory. Throws nvfp4::Error on a bad spec (element width or mask, word width,
  // voltages outside the failure model's range, transient faults).
  ProtectedMemory(const ProtectedMemorySpec& spec, std::shared_ptr<const FailureModel> failure);

  const ProtectedMemorySpec& spec() const { return spec_; }
  int64_t bytes() const { return spec_.bytes; }
  // Stores data[0, len) at byte `offset`; throws nvfp4::Error when the range leaves the memory.
  void write(int64_t offset, const uint8_t* data, int64_t len);
  // Reads bytes [offset, offset + len) through the fault map and the decoder into `out`; throws nvfp4::Error when the
  // range leaves the memory.
  MemoryReadCounts read(int64_t offset, uint8_t* out, int64_t len) const;
  // The stored bits, as written (no faults): what a perfect memory would return.
  const std::vector<uint8_t>& stored() const { return data_; }
  int64_t failing_cells() const;  // of the whole memory (both parts)

 private:
  bool bit(int64_t x) const { return (data_[static_cast<size_t>(x >> 3)] >> (x & 7)) & 1u; }
  // Stream index of bank bit x among the protected (or unprotected) bits: the number of such bits before x.
  int64_t stream_index(int64_t x, bool prot) const;
  // Bank bit of stream position q of the protected (or unprotected) bits.
  int64_t bank_bit(int64_t q, bool prot) const;
  void draw_maps() const;
  void read_plain(int64_t x0, int64_t x1, uint8_t* out, int64_t offset, MemoryReadCounts& c) const;
  void read_protected(int64_t x0, int64_t x1, uint8_t* out, int64_t offset, MemoryReadCounts& c) const;

  ProtectedMemorySpec spec_;
  std::vector<uint8_t> data_;
  std::vector<int> prot_pos_, unprot_pos_;  // bit positions in an element, protected / unprotected, ascending
  int64_t protected_bits_ = 0;
  bool faults_on_ = false;
  double p_data_ = 0.0, p_prot_ = 0.0;
  // The persistent maps, in cell order, drawn on the first read (the map is a function of seed, ids and p only).
  mutable bool maps_drawn_ = false;
  mutable std::vector<CellFault> data_faults_, protected_faults_;
};

}  // namespace nvfp4::ecc
