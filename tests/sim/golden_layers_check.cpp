// sim_golden_* tests: runs nvfp4sim's model on a workload and checks, for EVERY layer, that
//  1. the stored operands the model computed on (as read back from its SRAM banks, faults included) are exactly what
//     the documented procedure gives: generate (seeded) -> nvfp4::quantize -> inject_operand_faults (ecc/ injector);
//  2. the layer's output is bit-identical (raw bits) to the golden nvfp4::gemm over those stored operands;
//  3. outputs are not trivially equal (some non-zero element), and with faults expected (--expect-faults) some bits
//     really were flipped and at least one layer's output differs from the fault-free golden GEMM.
// Usage: sim_golden_layers_check CONFIG.yaml WORKLOAD.csv [--expect-faults]. Exit 1 naming the first mismatch.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <systemc>

#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/quantize.hpp"
#include "ecc/sram_presets.hpp"
#include "sim/run/simulation.hpp"
#include "numerics/workload.hpp"

using namespace nvfp4;

namespace {

int failures = 0;

void fail(const std::string& msg) {
  std::fprintf(stderr, "FAIL: %s\n", msg.c_str());
  ++failures;
}

uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// First index where two byte vectors differ, or -1.
int64_t first_diff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return static_cast<int64_t>(i);
  return -1;
}

}  // namespace

int sc_main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CONFIG.yaml WORKLOAD.csv [--expect-faults]\n", argv[0]);
    return 2;
  }
  const bool expect_faults = argc > 3 && std::strcmp(argv[3], "--expect-faults") == 0;
  try {
    sim::SimConfig config = sim::load_config(argv[1]);
    sim::Simulation simulation(config, workload::read_csv(argv[2]), argv[2]);
    simulation.validate();
    const std::string base = std::filesystem::path(argv[2]).parent_path().string();
    sim::FaultSetup setup;
    {
      // Same p(V) as the model: the ecc/ preset named in the config.
      const auto& preset = ecc::sram_preset(config.arch.sram_technology);
      setup.failure = ecc::make_failure_model(preset);
      setup.nominal_v = preset.nominal_vdd_v;
    }
    int64_t flipped = 0, layers_changed_by_faults = 0, checked = 0;
    sim::RunControl control;
    control.observe = [&](size_t i, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d) {
      const sim::Layer& l = simulation.layers()[i];
      const std::string tag = "layer " + std::to_string(i) + " '" + l.name + "'";
      // 1. Independent reconstruction of the stored operands.
      workload::LayerTensors t = workload::make_layer_tensors(l, static_cast<int64_t>(i), config.workload.activations,
                                                    config.workload.weights, base, config.workload.seed);
      QuantizedTensor qa = quantize(t.a.data(), l.M, l.K, config.activation_spec());
      QuantizedTensor qb = quantize(t.b.data(), l.N, l.K, config.weight_spec());
      const QuantizedTensor clean_a = qa, clean_b = qb;
      sim::FaultCounts fc;
      if (config.run.faults) {
        qa = sim::inject_operand_faults(qa, config.arch.activations, config.arch.scales, setup,
                                        sim::fault_seed(config.run.fault_seed, static_cast<int64_t>(i), 0), fc);
        qb = sim::inject_operand_faults(qb, config.arch.weights, config.arch.scales, setup,
                                        sim::fault_seed(config.run.fault_seed, static_cast<int64_t>(i), 1), fc);
      }
      flipped += static_cast<int64_t>(fc.raw_bit_errors);
      const int64_t dca = first_diff(qa.codes, a.codes), dcb = first_diff(qb.codes, b.codes);
      const int64_t dsa = first_diff(qa.scales, a.scales), dsb = first_diff(qb.scales, b.scales);
      if (dca >= 0) fail(tag + ": activation code byte " + std::to_string(dca) + " differs from the reconstruction");
      if (dcb >= 0) fail(tag + ": weight code byte " + std::to_string(dcb) + " differs from the reconstruction");
      if (dsa >= 0) fail(tag + ": activation scale byte " + std::to_string(dsa) + " differs from the reconstruction");
      if (dsb >= 0) fail(tag + ": weight scale byte " + std::to_string(dsb) + " differs from the reconstruction");
      if (bits_of(qa.tensor_scale) != bits_of(a.tensor_scale) || bits_of(qb.tensor_scale) != bits_of(b.tensor_scale))
        fail(tag + ": tensor scale differs from the reconstruction");
      // 2. Golden GEMM over the stored data, raw bits.
      const std::vector<float> golden = gemm(a, b, config.arch.array.accumulator);
      if (golden.size() != d.size()) {
        fail(tag + ": output size " + std::to_string(d.size()) + " != golden " + std::to_string(golden.size()));
        return;
      }
      bool nonzero = false;
      for (size_t k = 0; k < d.size(); ++k) {
        nonzero |= bits_of(d[k]) != 0 && bits_of(d[k]) != 0x80000000u;
        if (bits_of(d[k]) != bits_of(golden[k])) {
          char buf[256];
          std::snprintf(buf, sizeof buf, ": output [%lld][%lld] = 0x%08x (%g), golden 0x%08x (%g)",
                        static_cast<long long>(k / l.N), static_cast<long long>(k % l.N), bits_of(d[k]), d[k],
                        bits_of(golden[k]), golden[k]);
          fail(tag + buf);
          return;
        }
      }
      if (!nonzero) fail(tag + ": every output is zero (a trivially equal result)");
      // 3. Do the faults matter? Compare with the fault-free golden output.
      if (config.run.faults) {
        const std::vector<float> clean = gemm(clean_a, clean_b, config.arch.array.accumulator);
        for (size_t k = 0; k < d.size(); ++k)
          if (bits_of(d[k]) != bits_of(clean[k])) {
            ++layers_changed_by_faults;
            break;
          }
      }
      ++checked;
    };
    simulation.run(control);
    if (checked != static_cast<int64_t>(simulation.layers().size()))
      fail("checked " + std::to_string(checked) + " of " + std::to_string(simulation.layers().size()) + " layers");
    if (expect_faults && flipped == 0) fail("--expect-faults: no bit was flipped in any layer");
    if (expect_faults && layers_changed_by_faults == 0) fail("--expect-faults: no layer's output changed");
    std::printf("%lld layers bit-identical to nvfp4::gemm over the stored operands; %lld raw bit errors injected, "
                "%lld layers changed by faults\n",
                static_cast<long long>(checked), static_cast<long long>(flipped),
                static_cast<long long>(layers_changed_by_faults));
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  return failures ? 1 : 0;
}
