// "array": baseline; the significand product from an AND array of partial products (one row per bit of sig_a)
// summed by shift-and-add, as a conventional array multiplier does.
#include "lut/multipliers/lane_datapath.hpp"
#include "lut/multipliers/styles.hpp"

namespace nvfp4::lut {
namespace {

class ArrayMultiplier final : public LaneMultiplier {
 public:
  explicit ArrayMultiplier(WeightFormat w) : w_(w) {}
  LaneProduct multiply(uint8_t a, uint16_t c) const override {
    return detail::lane_datapath(w_, a, c, [](uint32_t sa, uint32_t sw) {
      uint32_t sum = 0;
      for (int i = 0; i < 2; ++i) sum += (((sa >> i) & 1u) ? sw : 0u) << i;  // sig_a has 2 bits
      return sum;
    });
  }
  std::string style() const override { return "array"; }
  WeightFormat weight_format() const override { return w_; }
  int table_lookups_per_product() const override { return 0; }

 private:
  WeightFormat w_;
};

}  // namespace

std::unique_ptr<LaneMultiplier> make_array_multiplier(WeightFormat w) { return std::make_unique<ArrayMultiplier>(w); }

}  // namespace nvfp4::lut
