// A stored operand read back from its two banks in place (sim::inject_operand_faults: the code bank's pass writes
// only codes, the scales bank's only scales, into one copy) gives the same bits and counts as the two-copy method:
// the codes of ecc::inject_faults with the code bank, the scales of ecc::inject_faults with the scales bank, both
// on the clean tensor. Low voltages (many faults), several layouts, SECDED, mixed voltage and none.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "ecc/fault_injector.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/quantize.hpp"
#include "numerics/workload.hpp"
#include "sim/faults/operand_faults.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

TEST_CASE("operand read-back in place equals the two-copy injection", "[sim][faults]") {
  const ecc::SramPreset& preset = ecc::sram_preset("sky130-openram");
  const FaultSetup setup{ecc::make_failure_model(preset), preset.nominal_vdd_v};
  std::vector<float> x(96 * 256);
  workload::Generator g;
  REQUIRE(workload::parse_generator("normal(0,1)", &g));
  workload::generate(g, 5, x.data(), x.size());
  const QuantizedTensor q = quantize(x.data(), 96, 256, QuantSpec{});
  int changed = 0;
  for (const char* layout : {"none", "sign-exp-scale", "full"}) {
    for (const char* mode : {"secded", "mixed-voltage"}) {
      SramBankConfig code_bank{"weights", 64, 64, 1, 0.6 * preset.nominal_vdd_v, layout, mode};
      SramBankConfig scale_bank{"scales", 64, 32, 1, 0.55 * preset.nominal_vdd_v, layout, mode};
      INFO(layout << " " << mode);
      FaultCounts counts;
      const QuantizedTensor in_place = inject_operand_faults(q, code_bank, scale_bank, setup, 77, counts);
      const ecc::InjectionResult rc =
          ecc::inject_faults(q, bank_injection(code_bank, setup, 77, ecc::Field::Codes, q.spec.scheme));
      const ecc::InjectionResult rs =
          ecc::inject_faults(q, bank_injection(scale_bank, setup, 77, ecc::Field::BlockScales, q.spec.scheme));
      CHECK(in_place.codes == rc.faulty.codes);
      CHECK(in_place.scales == rs.faulty.scales);
      CHECK(in_place.tensor_scale == q.tensor_scale);
      CHECK(counts.raw_bit_errors ==
            rc.report[ecc::Field::Codes].raw_bit_errors + rs.report[ecc::Field::BlockScales].raw_bit_errors);
      CHECK(counts.silent_bit_errors ==
            rc.report[ecc::Field::Codes].silent_bit_errors + rs.report[ecc::Field::BlockScales].silent_bit_errors);
      changed += in_place.codes != q.codes;
      changed += in_place.scales != q.scales;
    }
  }
  CHECK(changed >= 6);  // faults really changed codes and scales (8 of the 12 fields here), not trivially equal
}
