// SRAM bank: nested persistent fault maps, raw BER = p(V) within 3 sigma, stuck-at and transient faults, energy.
#include <catch2/catch.hpp>

#include <cmath>

#include "ecc/sram_bank.hpp"
#include "ecc/sram_presets.hpp"
#include "ecc/sram_scaled_energy.hpp"
#include "numerics/error.hpp"

using namespace nvfp4::ecc;

namespace {
std::shared_ptr<const FailureModel> sun65() { return make_failure_model(sram_preset("sun2017-65nm")); }

uint64_t errors_in(SramBank& bank, int64_t cells, bool ones, uint64_t read_index = 0) {
  BitImage img(cells);
  if (ones) std::fill(img.words.begin(), img.words.end(), ~uint64_t{0});
  const BitImage before = img;
  const uint64_t changed = bank.read(img, 0, read_index);
  uint64_t diff = 0;
  for (size_t i = 0; i < img.words.size(); ++i) diff += static_cast<uint64_t>(std::popcount(img.words[i] ^ before.words[i]));
  REQUIRE(diff == changed);
  return changed;
}

// |observed - n p| <= 3 sqrt(n p (1 - p))
void check_within_3_sigma(uint64_t observed, double n, double p) {
  const double mean = n * p, sigma = std::sqrt(n * p * (1.0 - p));
  INFO("observed " << observed << ", expected " << mean << " +- " << sigma);
  CHECK(std::abs(static_cast<double>(observed) - mean) <= 3.0 * sigma);
  CHECK(sigma > 10.0);  // enough cells for the check to mean something
}
}  // namespace

TEST_CASE("persistent fault maps are nested: a cell faulty at V is faulty at every lower V", "[sram]") {
  const auto model = sun65();
  SramBank hi({"b", 3, 0.55, 64, 40000, FaultKind::PersistentFlip, 99}, model);
  SramBank lo({"b", 3, 0.50, 64, 40000, FaultKind::PersistentFlip, 99}, model);
  const uint64_t cells = 2500000;  // spans three 2^20-cell segments of the sparse map
  const auto fh = hi.faulty_cells(0, cells), fl = lo.faulty_cells(0, cells);
  size_t j = 0;
  for (const CellFault& f : fh) {  // both lists are sorted by address
    while (j < fl.size() && fl[j].cell < f.cell) ++j;
    if (j == fl.size() || fl[j].cell != f.cell) FAIL("cell " << f.cell << " is faulty at 0.55 V but not at 0.50 V");
    CHECK(fl[j].threshold == f.threshold);  // one threshold per cell, whatever the voltage
    CHECK(fl[j].stuck_value == f.stuck_value);
  }
  CHECK(fh.size() > 3000);
  CHECK(fl.size() > fh.size() * 4);
  // Thresholds are uniform below p: about half of the cells faulty at 0.50 V are below p / 2 (3 sigma).
  const double p = lo.bit_failure_probability();
  uint64_t below_half = 0;
  for (const CellFault& f : fl) {
    REQUIRE(f.threshold < p);
    below_half += f.threshold < p / 2;
  }
  const double n = static_cast<double>(fl.size());
  CHECK(std::abs(static_cast<double>(below_half) - n / 2) <= 3 * std::sqrt(n / 4));
}

TEST_CASE("sparse fault map: random access to any address range gives the cells of the whole map", "[sram]") {
  const auto model = sun65();
  SramBank b({"b", 1, 0.5, 64, 60000, FaultKind::PersistentStuckAt, 4}, model);
  const auto whole = b.faulty_cells(0, 3000000);
  for (uint64_t first : {uint64_t{0}, uint64_t{1001}, (uint64_t{1} << 20) - 77, uint64_t{2000000}}) {
    const uint64_t count = 150000;
    std::vector<CellFault> expect;
    for (const CellFault& f : whole)
      if (f.cell >= first && f.cell < first + count) expect.push_back(f);
    const auto part = b.faulty_cells(first, count);
    REQUIRE(part.size() == expect.size());
    REQUIRE(part.size() > 500);
    for (size_t i = 0; i < part.size(); ++i) {
      REQUIRE(part[i].cell == expect[i].cell);
      REQUIRE(part[i].threshold == expect[i].threshold);
    }
  }
}

TEST_CASE("observed raw bit error rate matches p(V) within 3 sigma", "[sram][statistics]") {
  const auto model = sun65();
  const int64_t cells = 1 << 21;
  for (double v : {0.45, 0.50, 0.55}) {
    SramBank bank({"b", 0, v, 64, cells / 64, FaultKind::PersistentFlip, 2024}, model);
    INFO("V = " << v);
    check_within_3_sigma(errors_in(bank, cells, false), cells, model->bit_error_rate(v));
  }
  // stuck-at: a faulty cell errs only when its stuck value differs from the stored bit: p / 2
  SramBank stuck({"b", 0, 0.50, 64, cells / 64, FaultKind::PersistentStuckAt, 7}, model);
  const uint64_t e0 = errors_in(stuck, cells, false), e1 = errors_in(stuck, cells, true);
  check_within_3_sigma(e0, cells, model->bit_error_rate(0.50) / 2);
  check_within_3_sigma(e1, cells, model->bit_error_rate(0.50) / 2);
  // transient: each read is a fresh draw with the same rate
  SramBank tr({"b", 0, 0.50, 64, cells / 64, FaultKind::TransientFlip, 7}, model);
  check_within_3_sigma(errors_in(tr, cells, false, 5), cells, model->bit_error_rate(0.50));
}

TEST_CASE("faults are deterministic for a seed; transient reads differ, persistent reads repeat", "[sram]") {
  const auto model = sun65();
  auto read = [&](FaultKind k, uint64_t seed, uint32_t bank_id, uint64_t read_index) {
    SramBank b({"b", bank_id, 0.5, 64, 1024, k, seed}, model);
    BitImage img(65536);
    b.read(img, 0, read_index);
    return img.words;
  };
  CHECK(read(FaultKind::PersistentFlip, 1, 0, 0) == read(FaultKind::PersistentFlip, 1, 0, 0));
  CHECK(read(FaultKind::PersistentFlip, 1, 0, 0) == read(FaultKind::PersistentFlip, 1, 0, 3));
  CHECK(read(FaultKind::PersistentFlip, 1, 0, 0) != read(FaultKind::PersistentFlip, 2, 0, 0));
  CHECK(read(FaultKind::PersistentFlip, 1, 0, 0) != read(FaultKind::PersistentFlip, 1, 1, 0));
  CHECK(read(FaultKind::TransientFlip, 1, 0, 0) == read(FaultKind::TransientFlip, 1, 0, 0));
  CHECK(read(FaultKind::TransientFlip, 1, 0, 0) != read(FaultKind::TransientFlip, 1, 0, 1));
  // A read starting mid-bank sees the same cells as a read of the whole bank.
  SramBank b({"b", 0, 0.5, 64, 1024, FaultKind::PersistentFlip, 1}, model);
  BitImage whole(4096), part(1000);
  b.read(whole, 0);
  b.read(part, 1001);
  for (int i = 0; i < 1000; ++i) REQUIRE(part.get(i) == whole.get(1001 + i));
}

TEST_CASE("bank parameters are validated", "[sram]") {
  const auto model = sun65();
  CHECK_THROWS_WITH(SramBank({"b", 0, 1.1, 64, 1, FaultKind::PersistentFlip, 0}, model),
                    Catch::Contains("above the nominal"));
  CHECK_THROWS_WITH(SramBank({"b", 0, 0.0, 64, 1, FaultKind::PersistentFlip, 0}, model), Catch::Contains("> 0"));
  CHECK_THROWS_AS(SramBank({"b", 0, 0.5, 0, 1, FaultKind::PersistentFlip, 0}, model), nvfp4::Error);
  CHECK_THROWS_AS(SramBank({"b", 0, 0.5, 64, 1, FaultKind::PersistentFlip, 0}, nullptr), nvfp4::Error);
  CHECK(parse_fault_kind("stuck-at") == FaultKind::PersistentStuckAt);
  CHECK_THROWS_WITH(parse_fault_kind("bitflip"), Catch::Contains("flip, stuck-at, transient"));
}

TEST_CASE("energy: C V^2 dynamic energy with size scaling, leakage from the table", "[sram][energy]") {
  const SramPreset& p = sram_preset("sun2017-65nm");
  const auto& e = dynamic_cast<const ScaledSramEnergy&>(*p.energy);
  const double leak_per_kib = e.params().leak_uw_per_kib;
  // Horowitz 2014: 10 pJ per 64-bit read of an 8 KB array at nominal voltage.
  CHECK(e.read_energy_pj(1.0, 64, 8.0) == Approx(10.0).epsilon(1e-12));
  CHECK(e.read_energy_pj(0.5, 64, 8.0) == Approx(2.5).epsilon(1e-12));           // (V/Vnom)^2
  CHECK(e.read_energy_pj(1.0, 64, 32.0) == Approx(10.0 * std::pow(4.0, 0.47)));  // size^alpha (~19 pJ vs 20 cited)
  CHECK(e.read_energy_pj(1.0, 64, 1024.0) == Approx(97.8).epsilon(0.01));       // ~100 pJ cited for 1 MB
  CHECK(e.leakage_factor(1.0) == 1.0);
  CHECK(e.leakage_factor(0.5) == Approx(0.1377).epsilon(1e-3));  // the DIBL law tabulated at 0.1 V steps
  CHECK(e.leakage_factor(0.5) == dibl_leakage_ratio(0.5, 1.0));
  CHECK(e.leakage_factor(0.55) == Approx((dibl_leakage_ratio(0.5, 1.0) + dibl_leakage_ratio(0.6, 1.0)) / 2));
  CHECK(e.leakage_power_uw(1.0, 64, 64.0) == Approx(64.0 * leak_per_kib));
  CHECK_THROWS_AS(e.read_energy_pj(1.5, 64, 8.0), nvfp4::Error);
  // A bank accumulates accesses.
  SramBank bank({"b", 0, 0.6, 64, 1024, FaultKind::PersistentFlip, 0}, make_failure_model(p), p.energy);
  BitImage img(64 * 10);
  bank.count_write(10);
  bank.read(img, 0);
  CHECK(bank.stats().reads == 10);
  CHECK(bank.capacity_kib() == 8.0);
  CHECK(bank.dynamic_energy_pj() == Approx(20 * 10.0 * 0.36));
  CHECK(bank.leakage_power_uw() == Approx(8.0 * leak_per_kib * e.leakage_factor(0.6)));
}
