// "mantissa-lut": the significand product read from the mantissa LUT indexed by {sig_a, sig_w}.
#include "lut/multipliers/lane_datapath.hpp"
#include "lut/multipliers/styles.hpp"
#include "lut/tables.hpp"

#include <vector>

namespace nvfp4::lut {
namespace {

class MantissaLut final : public LaneMultiplier {
 public:
  explicit MantissaLut(WeightFormat w) : w_(w), table_(committed_mantissa_table(w)), sb_(sig_bits(w)) {}
  // A stored copy of the table (as read back from its storage, faults included).
  MantissaLut(WeightFormat w, std::span<const int64_t> entries)
      : w_(w), own_(entries.begin(), entries.end()), table_(own_), sb_(sig_bits(w)) {}
  LaneProduct multiply(uint8_t a, uint16_t c) const override {
    return detail::lane_datapath(w_, a, c, [this](uint32_t sa, uint32_t sw) { return table_[sa << sb_ | sw]; });
  }
  std::string style() const override { return "mantissa-lut"; }
  WeightFormat weight_format() const override { return w_; }
  int table_lookups_per_product() const override { return 1; }

 private:
  WeightFormat w_;
  std::vector<uint16_t> own_;
  std::span<const uint16_t> table_;
  int sb_;
};

}  // namespace

std::unique_ptr<LaneMultiplier> make_mantissa_lut(WeightFormat w) { return std::make_unique<MantissaLut>(w); }
std::unique_ptr<LaneMultiplier> make_mantissa_lut(WeightFormat w, std::span<const int64_t> entries) {
  return std::make_unique<MantissaLut>(w, entries);
}

}  // namespace nvfp4::lut
