// Internal: random access into the stored-bit stream of one region (the order of stored_bits.hpp's walk), so the
// sparse injector can touch only the bits that sit in failing cells or in codewords holding one: locate() names one
// bit's place in O(1), gather() reads a whole codeword's data bits word-parallel.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ecc/src/bit_pack.hpp"
#include "ecc/src/stored_bits.hpp"
#include "ecc/wide_word.hpp"

namespace nvfp4::ecc::detail {

struct StreamLoc {
  Field field = Field::Codes;
  int64_t byte = 0;  // index into codes, scales, or the 4 bytes of the tensor scale
  int bit = 0;       // bit in that byte
};

class StreamIndex {
 public:
  StreamIndex(const QuantizedTensor& q, const ProtectionLayout& layout, Region region)
      : sh_(stored_shape(q)), rows_(q.rows), cols_(q.cols), stride_(q.row_stride_bytes()),
        bpr_(q.blocks_per_row()) {
    const bool want = region == Region::Protected;
    uint32_t code_sel = 0, scale_sel = 0;  // the region's bits of a code / scale value
    for (int b = 0; b < sh_.code_bits; ++b)
      if ((((layout.code_mask >> b) & 1u) != 0) == want) code_bits_.push_back(b), code_sel |= 1u << b;
    for (int b = 0; b < sh_.scale_bits; ++b)
      if ((((layout.scale_mask >> b) & 1u) != 0) == want) scale_bits_.push_back(b), scale_sel |= 1u << b;
    code_pack_ = BitCompress(code_sel);
    scale_pack_ = BitCompress(scale_sel);
    codes_size_ = static_cast<int64_t>(q.codes.size());
    pc_ = static_cast<int64_t>(code_bits_.size());
    ps_ = static_cast<int64_t>(scale_bits_.size());
    if (sh_.blocks_interleaved) {
      block_bits_ = sh_.block * pc_ + ps_;
      row_bits_ = cols_ * pc_ + bpr_ * ps_;
      body_bits_ = rows_ * row_bits_;
    } else {
      body_bits_ = rows_ * cols_ * pc_ + sh_.scale_count * ps_;
    }
    ts_ = stores_tensor_scale(q.spec.scheme) && layout.tensor_scale == want;
  }

  int64_t bits() const { return body_bits_ + (ts_ ? 32 : 0); }
  // Whether the stream holds any bit of field f.
  bool holds(Field f) const {
    if (f == Field::Codes) return pc_ > 0 && rows_ * cols_ > 0;
    if (f == Field::BlockScales) return ps_ > 0 && sh_.scale_count > 0;
    return f == Field::TensorScale && ts_;
  }

  // Where stream bit `pos` (0 <= pos < bits()) is stored.
  StreamLoc locate(int64_t pos) const {
    if (pos >= body_bits_) {
      const int b = static_cast<int>(pos - body_bits_);
      return {Field::TensorScale, b / 8, b % 8};
    }
    if (sh_.blocks_interleaved) {
      const int64_t r = pos / row_bits_, rem = pos % row_bits_;
      const int64_t j = rem / block_bits_, off = rem - j * block_bits_;
      const int64_t codes_here = std::min<int64_t>(sh_.block, cols_ - j * sh_.block);
      if (off < codes_here * pc_) return code(r, j * sh_.block + off / pc_, code_bits_[off % pc_]);
      return scale(r * bpr_ + j, scale_bits_[off - codes_here * pc_]);
    }
    const int64_t code_part = rows_ * cols_ * pc_;
    if (pos < code_part) {
      const int64_t e = pos / pc_;
      return code(e / cols_, e % cols_, code_bits_[pos % pc_]);
    }
    const int64_t s = pos - code_part;
    return scale(s / ps_, scale_bits_[s % ps_]);
  }

  // Stream bits [pos, pos + n) (0 <= n <= 128, pos + n <= bits()) as bits 0 .. n - 1 of a word: what the SECDED path
  // encodes. Word-parallel: a run of codes whose every bit is in the region is copied from the row's bytes up to 56
  // bits at a time; otherwise each element (and scale) is read whole and its region bits packed by a per-byte table.
  // Equal to setting bit i from locate(pos + i) one bit at a time (test ecc_stream_index); `ts` = the tensor scale's
  // 4 bytes.
  WideWord gather(const uint8_t* codes, const uint8_t* scales, const uint8_t* ts, int64_t pos, int n) const {
    BitPacker out;
    const int64_t end = pos + n;
    int64_t p = pos;
    if (sh_.blocks_interleaved && p < body_bits_) {
      int64_t r = p / row_bits_, off = p % row_bits_, j = off / block_bits_;
      off -= j * block_bits_;
      while (p < end && p < body_bits_) {  // one block (its codes, then its scale) per pass
        const int64_t code_end = std::min<int64_t>(sh_.block, cols_ - j * sh_.block) * pc_;
        if (off < code_end) {
          const int64_t take = std::min(end - p, code_end - off);
          put_codes(codes, r, j * sh_.block + off / pc_, static_cast<int>(off % pc_), take, out);
          p += take, off += take;
        }
        if (p < end && off < code_end + ps_) {
          const int s = static_cast<int>(off - code_end), take = static_cast<int>(std::min<int64_t>(end - p, ps_ - s));
          out.put(scale_pack_(scale_value(scales, r * bpr_ + j)) >> s, take);
          p += take, off += take;
        }
        if (off == code_end + ps_) {
          off = 0;
          if (++j == bpr_) j = 0, ++r;
        }
      }
    } else if (p < body_bits_) {
      const int64_t code_part = rows_ * cols_ * pc_;
      while (p < end && p < code_part) {  // one row per pass
        const int64_t e = p / pc_, c = e % cols_, take = std::min(end - p, code_part - p);
        const int64_t row_take = std::min(take, (cols_ - c) * pc_ - p % pc_);
        put_codes(codes, e / cols_, c, static_cast<int>(p % pc_), row_take, out);
        p += row_take;
      }
      while (p < end && p < body_bits_) {  // one scale per pass
        const int64_t s = p - code_part;
        const int b = static_cast<int>(s % ps_), take = static_cast<int>(std::min<int64_t>(end - p, ps_ - b));
        out.put(scale_pack_(scale_value(scales, s / ps_)) >> b, take);
        p += take;
      }
    }
    if (p < end) {  // the tensor scale's 32 bits, little-endian
      const uint64_t v = uint64_t{ts[0]} | uint64_t{ts[1]} << 8 | uint64_t{ts[2]} << 16 | uint64_t{ts[3]} << 24;
      out.put(v >> (p - body_bits_), static_cast<int>(end - p));
    }
    return out.word;
  }

 private:
  StreamLoc code(int64_t r, int64_t c, int b) const {
    if (sh_.code_bits == 4) return {Field::Codes, r * stride_ + c / 2, static_cast<int>((c & 1) * 4 + b)};
    return {Field::Codes, r * stride_ + c * (sh_.code_bits / 8) + b / 8, b % 8};
  }
  StreamLoc scale(int64_t idx, int b) const { return {Field::BlockScales, idx * (sh_.scale_bits / 8) + b / 8, b % 8}; }

  // Appends `count` region bits of row r's codes, from bit b (among the element's region bits) of element c on.
  void put_codes(const uint8_t* codes, int64_t r, int64_t c, int b, int64_t count, BitPacker& out) const {
    const uint8_t* row = codes + r * stride_;
    if (pc_ == sh_.code_bits) {  // every code bit is in the region: the stream is the row's bytes, bit for bit
      for (int64_t bit = c * sh_.code_bits + b; count > 0;) {
        const int take = static_cast<int>(std::min<int64_t>(count, 56));
        out.put(load_bits(row, codes_size_ - r * stride_, bit, take), take);
        bit += take, count -= take;
      }
      return;
    }
    for (; count > 0; ++c, b = 0) {
      const int take = static_cast<int>(std::min<int64_t>(count, pc_ - b));
      const uint32_t v = static_cast<uint32_t>(load_bits(row, codes_size_ - r * stride_, c * sh_.code_bits,
                                                         sh_.code_bits));
      out.put(code_pack_(v) >> b, take);
      count -= take;
    }
  }
  uint32_t scale_value(const uint8_t* scales, int64_t idx) const {
    const uint8_t* s = scales + idx * (sh_.scale_bits / 8);
    return sh_.scale_bits == 16 ? uint32_t{s[0]} | uint32_t{s[1]} << 8 : s[0];
  }

  StoredShape sh_;
  int64_t rows_, cols_, stride_, bpr_;
  std::vector<int> code_bits_, scale_bits_;
  int64_t pc_ = 0, ps_ = 0, block_bits_ = 0, row_bits_ = 0, body_bits_ = 0;
  int64_t codes_size_ = 0;
  BitCompress code_pack_, scale_pack_;  // the region's bits of a code / scale value, packed to the low end
  bool ts_ = false;
};

}  // namespace nvfp4::ecc::detail
