// Product tables as stored words (lut/tables.hpp memh_word / entry_of_memh_word, lut/lut_storage.hpp): every table
// round-trips through its stored words, a lane reading a stored copy equals the committed lane on every code pair,
// and a wrong stored word changes exactly the products that read it.
#include <catch2/catch.hpp>

#include "lut/lut_storage.hpp"
#include "lut/multiplier_styles.hpp"
#include "lut/weight_format.hpp"
#include "numerics/error.hpp"

using namespace nvfp4::lut;

namespace {
std::vector<int64_t> stored_copy(const TableSpec& t) {
  std::vector<int64_t> e;
  for (int64_t v : t.entries) e.push_back(entry_of_memh_word(t, memh_word(t, v)));
  return e;
}
uint32_t codes_of(WeightFormat f) { return f == WeightFormat::FP16 ? 1u << 16 : 1u << format_info(f).code_bits; }
}  // namespace

TEST_CASE("every table round-trips through its stored words") {
  for (const TableSpec& t : all_tables()) {
    INFO(t.name);
    CHECK(stored_copy(t) == t.entries);
  }
}

TEST_CASE("a lane reading a stored copy equals the committed lane; a wrong word changes only its products") {
  for (const std::string& name : multiplier_style_names()) {
    for (const WeightFormatInfo& wf : weight_formats()) {
      const StyleChoice s = parse_multiplier_style(name);
      if (!s.style->accepts(wf.format)) continue;
      const LaneTable t = lane_table(s, wf.format);
      if (!t.has_table) {
        CHECK(s.style->make_stored == nullptr);
        continue;
      }
      INFO(name << " " << wf.name);
      CHECK(t.bits() == t.words() * t.spec.entry_bits);
      CHECK(t.lookups_per_product >= 1);
      const auto committed = s.style->make(wf.format, s.param);
      std::vector<int64_t> entries = stored_copy(t.spec);
      const auto same = s.style->make_stored(wf.format, s.param, entries);
      // One wrong stored word: flip the lowest bit of an entry that is used by products (entry 5 = sig_a 0b.. x ..).
      const size_t bad = entries.size() / 2 + 1;
      entries[bad] = entry_of_memh_word(t.spec, memh_word(t.spec, entries[bad]) ^ 1u);
      const auto wrong = s.style->make_stored(wf.format, s.param, entries);
      int64_t differ = 0, nonzero = 0;
      for (uint32_t a = 0; a < 16; ++a)
        for (uint32_t w = 0; w < codes_of(wf.format); ++w) {
          const LaneProduct c = committed->multiply(static_cast<uint8_t>(a), static_cast<uint16_t>(w));
          REQUIRE(same->multiply(static_cast<uint8_t>(a), static_cast<uint16_t>(w)) == c);
          nonzero += c.fixed != 0;
          differ += !(wrong->multiply(static_cast<uint8_t>(a), static_cast<uint16_t>(w)) == c);
        }
      CHECK(nonzero > 0);
      CHECK(differ > 0);  // the faulty entry is read by some products
    }
  }
}

TEST_CASE("LUT storage registry") {
  CHECK(parse_lut_storage("logic").written == false);
  CHECK(parse_lut_storage("latch").written);
  CHECK(parse_lut_storage("sram").voltage_faults);
  CHECK_FALSE(parse_lut_storage("latch").voltage_faults);
  CHECK_THROWS_WITH(parse_lut_storage("flash"), Catch::Contains("logic, latch, sram"));
  CHECK_FALSE(lane_table(parse_multiplier_style("array"), WeightFormat::E2M1).has_table);
  CHECK(lane_table(parse_multiplier_style("full-lut"), WeightFormat::E4M3).words() == 4096);
  CHECK(lane_table(parse_multiplier_style("split-lut:3"), WeightFormat::FP16).lookups_per_product == 4);
}
