// "split-lut:S": the weight significand cut into S-bit slices (LSB first); each slice's product with sig_a is read
// from one small LUT indexed by {sig_a, slice}, and the partial products are shifted and added:
//   sig_a * sig_w = sum_j T[sig_a][slice_j] << (S * j).
#include "lut/multipliers/lane_datapath.hpp"
#include "lut/multipliers/styles.hpp"
#include "lut/tables.hpp"

#include <vector>

namespace nvfp4::lut {
namespace {

class SplitLut final : public LaneMultiplier {
 public:
  SplitLut(WeightFormat w, int s)
      : w_(w), s_(s), slices_((sig_bits(w) + s - 1) / s), table_(committed_slice_table(s)) {}
  // A stored copy of the slice table (as read back from its storage, faults included).
  SplitLut(WeightFormat w, int s, std::span<const int64_t> entries)
      : w_(w), s_(s), slices_((sig_bits(w) + s - 1) / s), own_(entries.begin(), entries.end()), table_(own_) {}
  LaneProduct multiply(uint8_t a, uint16_t c) const override {
    return detail::lane_datapath(w_, a, c, [this](uint32_t sa, uint32_t sw) {
      uint32_t sum = 0;
      for (int j = 0; j < slices_; ++j) sum += uint32_t{table_[sa << s_ | ((sw >> (s_ * j)) & ((1u << s_) - 1u))]} << (s_ * j);
      return sum;
    });
  }
  std::string style() const override { return "split-lut:" + std::to_string(s_); }
  WeightFormat weight_format() const override { return w_; }
  int table_lookups_per_product() const override { return slices_; }

 private:
  WeightFormat w_;
  int s_;
  int slices_;
  std::vector<uint8_t> own_;
  std::span<const uint8_t> table_;
};

}  // namespace

std::unique_ptr<LaneMultiplier> make_split_lut(WeightFormat w, int slice_bits) {
  return std::make_unique<SplitLut>(w, slice_bits);
}
std::unique_ptr<LaneMultiplier> make_split_lut(WeightFormat w, int slice_bits, std::span<const int64_t> entries) {
  return std::make_unique<SplitLut>(w, slice_bits, entries);
}

}  // namespace nvfp4::lut
