// The technology table's optional zero-fraction fit (docs/energy.md, "Operand statistics"): energy of n actions with
// `zeros` zero-operand actions = n e0 + zeros x slope at the row's voltage, C V^2 scaled; rows without a fit and
// tables without the columns fall back to n x energy_pj; the committed characterized table loads and its lane rows
// make zeros cheaper.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/energy/tech_table.hpp"

using namespace nvfp4::sim;

TEST_CASE("technology table: zero-fraction fit", "[sim][energy]") {
  const auto dir = std::filesystem::temp_directory_path() / "nvfp4_sim_units_zero_fit";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "t.csv").string();
  std::ofstream(path) << "# t\ncomponent,variant,voltage_v,energy_pj,leakage_uw,area_um2,e_random_pj,e_fit_z0_pj,"
                         "e_fit_slope_pj,source\n"
                         "lane_multiply,a,1.8,0.40,0,1,0.5,0.50,-0.30,x\n"
                         "lane_multiply,b,1.8,0.40,0,1,0.5,,,y\n";
  const TechTable t = TechTable::load(path);
  CHECK(t.energy_pj_with_zeros("lane_multiply", "a", 1.8, 1000, 250) == Approx(1000 * 0.5 - 250 * 0.3));
  CHECK(t.energy_pj_with_zeros("lane_multiply", "a", 0.9, 1000, 250) == Approx((1000 * 0.5 - 250 * 0.3) / 4));
  CHECK(t.energy_pj_with_zeros("lane_multiply", "a", 1.8, 1000, 1000) == Approx(200));
  CHECK(t.energy_pj_with_zeros("lane_multiply", "b", 1.8, 1000, 250) == Approx(400));
  std::ofstream(path) << "component,variant,voltage_v,energy_pj,leakage_uw,area_um2,e_fit_z0_pj,e_fit_slope_pj,source\n"
                         "lane_multiply,a,1.8,0.4,0,1,0.5,zz,x\n";
  CHECK_THROWS_WITH(TechTable::load(path), Catch::Contains("t.csv:2"));
  std::ofstream(path) << "component,variant,voltage_v,energy_pj,leakage_uw,area_um2\nlane_multiply,a,1.8,0.4,0,1\n";
  CHECK_THROWS_WITH(TechTable::load(path), Catch::Contains("no column 'source'"));
  std::filesystem::remove_all(dir);

  const TechTable lit = TechTable::load("../../sim/tech/generic-45nm.csv");  // no fit columns: mean energy
  CHECK(lit.energy_pj_with_zeros("lane_multiply", "mantissa-lut/nvfp4", 0.9, 100, 50) ==
        Approx(100 * lit.energy_pj("lane_multiply", "mantissa-lut/nvfp4", 0.9)));
  const TechTable sky = TechTable::load("../../sim/tech/sky130-characterized.csv");
  for (const char* v : {"mantissa-lut/nvfp4", "full-lut/nvfp4"})
    CHECK(sky.energy_pj_with_zeros("lane_multiply", v, 1.8, 1000, 600) <
          sky.energy_pj_with_zeros("lane_multiply", v, 1.8, 1000, 100));
}
