// Internal: random access into the stored-bit stream of one region (the order of stored_bits.hpp's walk), so the
// sparse injector can touch only the bits that sit in failing cells or in codewords holding one. O(1) per bit.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ecc/src/stored_bits.hpp"

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
    for (int b = 0; b < sh_.code_bits; ++b)
      if ((((layout.code_mask >> b) & 1u) != 0) == want) code_bits_.push_back(b);
    for (int b = 0; b < sh_.scale_bits; ++b)
      if ((((layout.scale_mask >> b) & 1u) != 0) == want) scale_bits_.push_back(b);
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

  // out[i] = locate(pos + i) for i in [0, n): the SECDED path gathers whole codewords, and stepping through a block
  // costs an increment per bit where locate() divides (measured: the divisions were most of the injector's time at
  // voltages where most codewords hold a failing cell).
  void locate_run(int64_t pos, int n, StreamLoc* out) const {
    int i = 0;
    while (sh_.blocks_interleaved && i < n && pos + i < body_bits_) {  // one block per pass: divide once
      const int64_t p = pos + i, r = p / row_bits_, rem = p % row_bits_, j = rem / block_bits_;
      const int64_t codes_here = std::min<int64_t>(sh_.block, cols_ - j * sh_.block), code_end = codes_here * pc_;
      int64_t off = rem - j * block_bits_;
      int64_t c = pc_ > 0 ? j * sh_.block + off / pc_ : 0, b = pc_ > 0 ? off % pc_ : 0;  // element, its bit
      for (; i < n && off < code_end; ++i, ++off) {
        out[i] = code(r, c, code_bits_[static_cast<size_t>(b)]);
        if (++b == pc_) b = 0, ++c;
      }
      for (; i < n && off < code_end + ps_; ++i, ++off) out[i] = scale(r * bpr_ + j, scale_bits_[off - code_end]);
    }
    for (; i < n; ++i) out[i] = locate(pos + i);
  }

 private:
  StreamLoc code(int64_t r, int64_t c, int b) const {
    if (sh_.code_bits == 4) return {Field::Codes, r * stride_ + c / 2, static_cast<int>((c & 1) * 4 + b)};
    return {Field::Codes, r * stride_ + c * (sh_.code_bits / 8) + b / 8, b % 8};
  }
  StreamLoc scale(int64_t idx, int b) const { return {Field::BlockScales, idx * (sh_.scale_bits / 8) + b / 8, b % 8}; }

  StoredShape sh_;
  int64_t rows_, cols_, stride_, bpr_;
  std::vector<int> code_bits_, scale_bits_;
  int64_t pc_ = 0, ps_ = 0, block_bits_ = 0, row_bits_ = 0, body_bits_ = 0;
  bool ts_ = false;
};

}  // namespace nvfp4::ecc::detail
