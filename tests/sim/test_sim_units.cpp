// Unit tests of the simulator's plain-C++ parts: dataflow fold algebra, configuration strictness, technology scaling, SQNR (datapath counts: test_datapath_counts.cpp; SystemC runs: other sim_* tests).
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <tuple>

#include "numerics/error.hpp"
#include "sim/config/bank_protection.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/dataflow/dataflow.hpp"
#include "sim/energy/synth_area.hpp"
#include "sim/energy/tech_table.hpp"
#include "sim/model/layer_plan.hpp"

#include <filesystem>
#include <fstream>
#include "sim/run/float_reference.hpp"
#include "sim/run/simulation.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

TEST_CASE("dataflows: closed-form cycles, folds and traffic add up", "[sim][dataflow]") {
  const ArrayGeometry g{4, 3, 8, 2, 16};
  for (const char* name : {"os", "ws", "is"}) {
    auto df = make_dataflow(name);
    for (const GemmDims d : {GemmDims{13, 7, 50}, GemmDims{4, 3, 8}, GemmDims{1, 1000, 512}, GemmDims{37, 20, 200},
                             GemmDims{40, 2, 30}, GemmDims{3, 3, 1000}}) {
      for (FoldOrder order : {FoldOrder::ColsOuter, FoldOrder::RowsOuter}) {
        int64_t macs = 0, cycles = 0;
        const std::unique_ptr<FoldWalker> walker = df->walk(d, g, order);
        for (int64_t i = 0; i < df->folds(d, g); ++i) {
          const FoldWork w = df->fold(d, g, i, order);
          // The controller's walker gives the same folds in the same order (os steps its tile indices).
          const FoldWork v = walker->next();
          INFO(name << " fold " << i);
          REQUIRE(std::tie(v.compute_cycles, v.a_elements, v.b_elements, v.a_blocks, v.b_blocks, v.out_writes,
                           v.out_reads, v.macs, v.final_k, v.a_tile, v.b_tile, v.m0, v.m1, v.n0, v.n1, v.k0, v.k1) ==
                  std::tie(w.compute_cycles, w.a_elements, w.b_elements, w.a_blocks, w.b_blocks, w.out_writes,
                           w.out_reads, w.macs, w.final_k, w.a_tile, w.b_tile, w.m0, w.m1, w.n0, w.n1, w.k0, w.k1));
          macs += w.macs;
          cycles += w.compute_cycles;
          REQUIRE(w.out_writes > 0);
        }
        INFO(name << " " << d.M << "x" << d.N << "x" << d.K);
        CHECK(macs == d.M * d.N * d.K);  // every product exactly once
        CHECK(cycles == df->compute_cycles(d, g));
        // fetched_elements is the closed form of this loop (a tile fetched when it changes from the last fold's).
        int64_t fetched[2] = {0, 0}, last_a = -1, last_b = -1;
        for (int64_t i = 0; i < df->folds(d, g); ++i) {
          const FoldWork w = df->fold(d, g, i, order);
          if (w.a_tile != last_a) fetched[0] += w.a_elements;
          if (w.b_tile != last_b) fetched[1] += w.b_elements;
          last_a = w.a_tile, last_b = w.b_tile;
        }
        const auto closed = df->fetched_elements(d, g, order);
        CHECK(closed[0] == fetched[0]);
        CHECK(closed[1] == fetched[1]);
      }
    }
  }
  // Hand-computed: os, M=13 N=7 K=50, R=4 C=3 L=8 P=2: folds 4*3 = 12, per fold ceil(50/8)=7 + 4+3-2 + 1 = 13.
  CHECK(make_dataflow("os")->compute_cycles({13, 7, 50}, g) == 12 * 13);
  // ws: K beats 7 -> ceil(7/4) = 2 row folds x ceil(7/3) = 3: 6 folds of 2*4+3+13-2+1 = 23.
  CHECK(make_dataflow("ws")->compute_cycles({13, 7, 50}, g) == 6 * 23);
  // is: 2 row folds x ceil(13/3) = 5: 10 folds of 2*4+3+7-2+1 = 17.
  CHECK(make_dataflow("is")->compute_cycles({13, 7, 50}, g) == 10 * 17);
  CHECK_THROWS_AS(make_dataflow("rs"), Error);
  CHECK(blocks_touched(0, 16, 16) == 1);
  CHECK(blocks_touched(8, 24, 16) == 2);
  CHECK(blocks_touched(16, 17, 16) == 1);
}

namespace {
const char* kGood = R"(version: 1
architecture:
  name: t
  clock_mhz: 100
  technology: tech.csv
  array: {rows: 2, cols: 2, lanes: 4}
  sram:
    activations: {size_kib: 4, word_bits: 64, voltage_v: 0.8}
    weights: {size_kib: 4, word_bits: 64, voltage_v: 0.8}
    scales: {size_kib: 4, word_bits: 64, voltage_v: 0.8}
    outputs: {size_kib: 4, word_bits: 64, voltage_v: 0.8}
  offchip: {bandwidth_bytes_per_cycle: 4, latency_cycles: 10, energy_pj_per_bit: 5}
)";
std::string with(const std::string& old, const std::string& repl) {
  std::string s = kGood;
  const auto p = s.find(old);
  REQUIRE(p != std::string::npos);
  return s.replace(p, old.size(), repl);
}
std::string error_of(const std::string& text) {
  try {
    parse_config(text, "cfg.yaml", "/base");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("config: defaults, resolved echo and errors naming file and key", "[sim][config]") {
  const SimConfig c = parse_config(kGood, "cfg.yaml", "/base");
  CHECK(c.arch.array.dataflow == "os");
  CHECK(c.arch.array.pipeline_depth == 4);
  CHECK(c.arch.technology == "/base/tech.csv");
  CHECK(c.arch.weights.ecc_layout == "none");
  CHECK(c.run.faults);
  CHECK(c.resolved["architecture"]["array"]["pipeline_depth"].as<int>() == 4);  // defaults are echoed
  CHECK(c.resolved["workload"]["recipe"].as<std::string>() == "te");
  CHECK(error_of(with("lanes: 4", "lanes: 4, colour: red")).find("cfg.yaml: key 'architecture.array.colour': "
                                                                   "unknown key") != std::string::npos);
  CHECK(error_of(with("  clock_mhz: 100\n", "")).find("'architecture.clock_mhz': missing") != std::string::npos);
  CHECK(error_of(with("lanes: 4", "lanes: 3")).find("architecture.array.lanes") != std::string::npos);
  CHECK(error_of(with("rows: 2", "rows: -2")).find("architecture.array.rows") != std::string::npos);
  CHECK(error_of(with("lanes: 4", "lanes: 4, accumulator: fixed:99")).find("architecture.array.accumulator") !=
        std::string::npos);
  CHECK(error_of(with("lanes: 4", "lanes: 4, dataflow: rs")).find("architecture.array.dataflow") !=
        std::string::npos);
  CHECK(error_of(std::string(kGood) + "run: {faults: maybe}\n").find("run.faults") != std::string::npos);
  CHECK(error_of(std::string(kGood) + "extra: 1\n").find("'extra': unknown key") != std::string::npos);
  CHECK(error_of("version: 1\narchitecture: [1, 2\n").find("malformed YAML") != std::string::npos);
  // Repeated keys (yaml-cpp keeps the first silently): the key and both lines.
  CHECK(error_of(with("  clock_mhz: 100\n", "  clock_mhz: 100\n  clock_mhz: 200\n"))
            .find("'architecture.clock_mhz': duplicate key (lines 4 and 5)") != std::string::npos);
  CHECK(error_of(with("clock_mhz: 100", "clock_mhz: .inf")).find("must be a finite number") != std::string::npos);
  CHECK(error_of(with("voltage_v: 0.8}\n    weights", "voltage_v: .nan}\n    weights"))
            .find("architecture.sram.activations.voltage_v") != std::string::npos);
  CHECK(error_of(std::string(kGood) + "workload: {seed: -1}\n").find("workload.seed: '-1' is not a seed") !=
        std::string::npos);
  CHECK(error_of(std::string(kGood) + "run: {fault_seed: 4294967296}\n").find("run.fault_seed") != std::string::npos);
  CHECK(parse_config(std::string(kGood) + "run: {fault_seed: 4294967295}\n", "c", "/").run.fault_seed == 4294967295u);
}

TEST_CASE("bank ECC layouts: what ecc/ accepts, with ecc/'s fractions and check bits", "[sim][config][ecc]") {
  // Every layout ecc/ accepts for what the bank stores is accepted, including custom: masks.
  const std::string custom = "custom:code=0x8,scale=0x7F,tensor=0";
  const SimConfig c = parse_config(
      with("scales: {size_kib: 4, word_bits: 64, voltage_v: 0.8}",
           "scales: {size_kib: 4, word_bits: 64, voltage_v: 0.8, ecc_layout: '" + custom + "'}"),
      "cfg.yaml", "/base");
  CHECK(protected_fraction(c.arch, BankId::Scales) == 7.0 / 8.0);  // 0x7F of an 8-bit UE4M3 scale code
  // Scale-bank layouts other than `full` are not full: `none` protects nothing.
  CHECK(protected_fraction(parse_config(kGood, "cfg.yaml", "/base").arch, BankId::Scales) == 0.0);
  const SimConfig w = parse_config(with("weights: {size_kib: 4, word_bits: 64, voltage_v: 0.8}",
                                        "weights: {size_kib: 4, word_bits: 64, voltage_v: 0.8, ecc_layout: "
                                        "sign-exp-scale}"),
                                   "cfg.yaml", "/base");
  CHECK(protected_fraction(w.arch, BankId::Weights) == 3.0 / 4.0);  // E2M1: s e1 e0 of s e1 e0 m
  // Check bits of a sign-exp-scale bank: 3/4 of the 512 64-bit words are codewords of 8 check bits (not all 512).
  const ecc::StorageFootprint f = bank_footprint(w.arch, BankId::Weights);
  CHECK(f.data_bits == 4 * 8192);
  CHECK(f.check_bits == 384 * 8);
  // A layout ecc/ refuses is refused with ecc/'s message, naming the key.
  CHECK(error_of(with("weights: {size_kib: 4, word_bits: 64, voltage_v: 0.8}",
                      "weights: {size_kib: 4, word_bits: 64, voltage_v: 0.8, ecc_layout: custom:code=0x1F,scale=0,"
                      "tensor=0}"))
            .find("architecture.sram.weights.ecc_layout") != std::string::npos);
  CHECK(error_of(with("outputs: {size_kib: 4, word_bits: 64, voltage_v: 0.8}",
                      "outputs: {size_kib: 4, word_bits: 64, voltage_v: 0.8, ecc_layout: '" + custom + "'}"))
            .find("does not apply to fp32 words") != std::string::npos);
  CHECK(error_of(with("outputs: {size_kib: 4, word_bits: 64, voltage_v: 0.8}",
                      "outputs: {size_kib: 4, word_bits: 64, voltage_v: 0.8, ecc_layout: most}"))
            .find("architecture.sram.outputs.ecc_layout") != std::string::npos);
}

TEST_CASE("layer plan: ws / is row streams cut into chunks that fit, double buffered", "[sim][plan]") {
  // kGood: 2 x 2 engines of 4 lanes, 4 KiB banks of 64-bit words; ws folds stream M rows, is folds N rows.
  auto plan = [](const std::string& df, const std::string& old_bank, const std::string& new_bank, GemmDims d) {
    std::string text = with(old_bank, new_bank);
    text.replace(text.find("lanes: 4"), 8, "lanes: 4, dataflow: " + df);
    return plan_layer("l", "w.csv:2", d, parse_config(text, "cfg.yaml", "/base"), *make_dataflow(df));
  };
  const std::string act = "activations: {size_kib: 4,", wgt = "weights: {size_kib: 4,", out = "outputs: {size_kib: 4,";
  for (const bool ws : {true, false}) {
    const std::string df = ws ? "ws" : "is", bank = ws ? act : wgt;
    const std::string small = ws ? "activations: {size_kib: 1," : "weights: {size_kib: 1,";
    const GemmDims d = ws ? GemmDims{600, 2, 8} : GemmDims{2, 600, 8};
    INFO(df);
    // Fits whole: nothing chunked.
    const LayerPlan whole = plan(df, out, "outputs: {size_kib: 16,", d);
    CHECK((whole.stream_op == (ws ? 0 : 1) && whole.stream_rows == 600 && whole.chunks() == 1));
    CHECK_FALSE((whole.chunk_stream || whole.chunk_outputs));
    // 1 KiB bank: 8192 bits / (2 x 8 codes x 4 bits) = 128 rows per chunk (the 4 KiB outputs would allow 256).
    const LayerPlan p = plan(df, bank, small, d);
    CHECK((p.chunk_stream && p.chunk_outputs && p.chunk_rows == 128 && p.chunks() == 5));
    // Outputs 32768 bits / (2 x 2 x 32) = 256 rows when the operand fits.
    const LayerPlan o = plan(df, out, "outputs: {size_kib: 4,", ws ? GemmDims{600, 2, 4} : GemmDims{2, 600, 4});
    CHECK((!o.chunk_stream && o.chunk_outputs && o.chunk_rows == 256 && o.chunks() == 3));
    // Truly impossible: one streamed row (2 x 8 codes x 4 bits = 64 bits) does not fit a 40-bit bank.
    const std::string tiny = ws ? "activations: {size_kib: 0.005," : "weights: {size_kib: 0.005,";
    CHECK_THROWS_WITH(plan(df, bank, tiny, d),
                      Catch::Contains("w.csv:2: layer 'l': the " + std::string(ws ? "activations" : "weights") +
                                      " SRAM (0.005 KiB) cannot feed the 2 x 2 array (" + df + " dataflow)") &&
                          Catch::Contains("it needs 0.00781") &&
                          Catch::Contains(" KiB for a single row of streamed " +
                                          std::string(ws ? "activation" : "weight") + " codes (double-buffered)"));
    CHECK_THROWS_WITH(plan(df, out, "outputs: {size_kib: 0.01,", d),
                      Catch::Contains("outputs SRAM (0.01 KiB)") &&
                          Catch::Contains("it needs 0.0156") &&
                          Catch::Contains(" KiB for a single row of outputs / partial sums (double-buffered)"));
  }
  // os has no row stream: a tile that does not fit is still refused.
  const LayerPlan os = plan("os", act, act, {600, 2, 8});
  CHECK((os.stream_op == -1 && os.chunks() == 1));
  CHECK_THROWS_WITH(plan("os", act, "activations: {size_kib: 0.1,", {4, 4, 4096}),
                    Catch::Contains("one fold needs 8 KiB of activation codes (double-buffered)"));
}

TEST_CASE("technology table: C V^2 scaling and named errors", "[sim][energy]") {
  const TechTable t = TechTable::load("../../sim/tech/generic-45nm.csv");
  const double e09 = t.energy_pj("accumulate", "fp32", 0.9);
  CHECK(e09 == Approx(0.9));
  CHECK(t.energy_pj("accumulate", "fp32", 0.45) == Approx(e09 / 4));
  CHECK(t.leakage_uw("accumulate", "fp32", 0.45) == Approx(2.0 / 8));
  CHECK_THROWS_WITH(t.energy_pj("accumulate", "fp64", 0.9), Catch::Contains("variant 'fp64'"));
}

TEST_CASE("Yosys area results: lookup, absence and malformed rows", "[sim][energy]") {
  const auto dir = std::filesystem::temp_directory_path() / "nvfp4_sim_units_synth";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "results.csv").string();
  std::ofstream(path) << "# generated\nconfig,top,params,area_um2,cells\nscale_unit,scale_mul,,564.29,90\n";
  const auto s = SynthArea::load(path);
  REQUIRE(s.has_value());
  CHECK(*s->area_um2("scale_unit") == Approx(564.29));
  CHECK_FALSE(s->area_um2("fp32_adder").has_value());
  CHECK_FALSE(SynthArea::load((dir / "absent.csv").string()).has_value());
  std::ofstream(path) << "config,top,params,area_um2\nx,y,,12z\n";
  CHECK_THROWS_WITH(SynthArea::load(path), Catch::Contains("results.csv:2"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("SQNR", "[sim]") {
  CHECK(std::isinf(sqnr({1, 2, 3}, {1, 2, 3}).db));
  CHECK(sqnr({3, 4}, {3, 4.5f}).db == Approx(10 * std::log10(25 / 0.25)));
  CHECK(sqnr({1, 1}, {1, INFINITY}).nonfinite == 1);
}

// libsystemc.so refers to sc_main; this program's main is Catch2's and runs no simulation.
int sc_main(int, char**) { return 0; }
