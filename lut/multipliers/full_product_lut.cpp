// "full-lut": baseline; one LUT indexed by both whole codes {a_code, w_code} holds the signed product.
#include "lut/multipliers/styles.hpp"
#include "lut/tables.hpp"

#include <vector>

namespace nvfp4::lut {
namespace {

class FullProductLut final : public LaneMultiplier {
 public:
  explicit FullProductLut(WeightFormat w)
      : w_(w), table_(committed_full_product_table(w)), code_bits_(format_info(w).code_bits) {}
  // A stored copy of the table (as read back from its storage, faults included); kFullLutSpecial = NaN weight.
  FullProductLut(WeightFormat w, std::span<const int64_t> entries) : w_(w), code_bits_(format_info(w).code_bits) {
    for (int64_t e : entries) own_.push_back(e == kFullLutSpecial ? INT32_MIN : static_cast<int32_t>(e));
    table_ = own_;
  }
  LaneProduct multiply(uint8_t a, uint16_t c) const override {
    const uint32_t idx = uint32_t{a & 0xFu} << code_bits_ | (c & ((1u << code_bits_) - 1u));
    const int32_t e = table_[idx];
    if (e == INT32_MIN) return {0, true};
    return {e, false};
  }
  std::string style() const override { return "full-lut"; }
  WeightFormat weight_format() const override { return w_; }
  int table_lookups_per_product() const override { return 1; }

 private:
  WeightFormat w_;
  std::vector<int32_t> own_;
  std::span<const int32_t> table_;
  int code_bits_;
};

}  // namespace

std::unique_ptr<LaneMultiplier> make_full_product_lut(WeightFormat w) { return std::make_unique<FullProductLut>(w); }
std::unique_ptr<LaneMultiplier> make_full_product_lut(WeightFormat w, std::span<const int64_t> entries) {
  return std::make_unique<FullProductLut>(w, entries);
}

}  // namespace nvfp4::lut
