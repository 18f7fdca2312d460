// sim_chunked_stream_{ws,is}: layers whose streamed fold tile (or output tile) does not fit its bank run with the row
// stream cut into chunks (docs/sim.md, "Chunked streaming"). Every expected figure below is derived by hand from the
// documented model for tests/sim/data/chunked-{ws,is}.yaml (R = C = 2, L = 4, P = 1, 1 byte/cycle, latency 10, the
// streamed operand's bank 1 KiB): compute cycles = SCALE-Sim's, off-chip traffic (tiles fetched again in every fold,
// partial sums through off-chip memory) and cycle timelines that depend on the chunk size (a wrong chunk count fails).
// The two dataflows are mirror images (ws streams the M activation rows, is the N weight rows), so the figures are
// the same. SystemC elaborates once per process: run with the tag of one dataflow, [ws] or [is] (no SECTIONs: Catch
// would re-run the simulation for each).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <string>
#include <systemc>

#include "sim/run/simulation.hpp"
#include "numerics/workload.hpp"

using namespace nvfp4::sim;

namespace {

void check_chunked_layers(const std::string& df) {
  const std::string csv = "data/chunked-" + df + ".csv";
  Simulation sim(load_config("data/chunked-" + df + ".yaml"), nvfp4::workload::read_csv(csv), csv);
  sim.run(RunControl{});
  const auto& r = sim.results();
  REQUIRE(r.size() == 4);
  const int stream_bank = static_cast<int>(df == "ws" ? BankId::Activations : BankId::Weights);
  const int out_bank = static_cast<int>(BankId::Outputs);
  // Per fold: 2R + C + rows - 2 + (P - 1) = rows + 4 (SCALE-Sim's 2R + C + T - 2).
  auto fold_cycles = [](int64_t rows) { return rows + 4; };

  {
    INFO("one fold, 600 rows in chunks of 1 KiB / (2 x 8 codes x 4 bits) = 128: 128 x 4 + 88");
    const LayerResult& l = r[0];
    CHECK(l.timing.compute_cycles == fold_cycles(600));
    // Stationary operand resident: 2 x 8 x 4 code bits + 2 scales x 8 = 80 bits: latency 10 + 10 cycles.
    CHECK(l.timing.prologue_cycles == 20);
    // A row is 8 x 4 + 8 = 40 bits = 5 cycles on the port, more than the 1 cycle it takes in the array: the last chunk
    // arrives at 20 + 10 (first stream pays latency) + 600 x 5, its 88 rows stream, the fold drains (4), then the
    // 600 x 2 fp32 outputs leave at 8 bits/cycle. Unchunked (one 600-row tile) it would be 600 instead of 88.
    const int64_t last_chunk = 600 - 4 * 128;
    CHECK(l.timing.cycles == 20 + 10 + 600 * 5 + last_chunk + 4 + 600 * 2 * 32 / 8);
    CHECK(l.counts.offchip_bits == 80u + 600 * 40 + 600 * 2 * 32);
    CHECK(l.counts.banks[stream_bank].write_words == 600u * 32 / 64);  // every chunk written once
    CHECK(l.counts.banks[stream_bank].read_words == 600u * 32 / 64);   // and read once by the array
  }
  {
    INFO("two column folds: the tile does not stay in the bank, it is fetched again in the second fold");
    const LayerResult& l = r[1];
    CHECK(l.timing.compute_cycles == 2 * fold_cycles(600));
    CHECK(l.counts.offchip_bits == 4u * 8 * 4 + 4 * 8 + 2 * 600 * 40 + 600 * 4 * 32);
    CHECK(l.counts.banks[stream_bank].write_words == 2u * 600 * 32 / 64);
  }
  {
    INFO("two K folds, outputs tile too big (2 x 2500 x 2 x 32 bits > 16 KiB): partial sums go off-chip and back");
    const LayerResult& l = r[2];
    CHECK(l.timing.compute_cycles == 2 * fold_cycles(2500));
    const uint64_t sums = 2500u * 2 * 32;
    // Stationary 2 x 16 x 4 + 2 x 8; streamed rows twice; sums out after fold 0, back in and final out in fold 1.
    CHECK(l.counts.offchip_bits == 2u * 16 * 4 + 2 * 8 + 2 * 2500 * 40 + 3 * sums);
    CHECK(l.counts.banks[out_bank].write_words == 3 * sums / 64);  // two folds' writes + the sums fetched back
    CHECK(l.counts.banks[out_bank].read_words == 3 * sums / 64);   // sums read by the array + two drains
  }
  {
    INFO("streamed operand resident, outputs in chunks of 16 KiB / (2 x 2 x 32 bits) = 1024 rows");
    const LayerResult& l = r[3];
    CHECK(l.timing.compute_cycles == fold_cycles(2000));
    // Prologue: 2000 x 4 codes + 2000 x 8 scales + 2 x 4 + 2 x 8 = 24024 bits: 10 + 3003 cycles.
    CHECK(l.timing.prologue_cycles == 3013);
    // The first chunk's outputs start leaving after its 1024 rows; from then on the port is busy with all outputs.
    CHECK(l.timing.cycles == 3013 + 1024 + 2000 * 2 * 32 / 8);
    CHECK(l.counts.offchip_bits == 24024u + 2000 * 2 * 32);
  }
  for (const LayerResult& l : r) CHECK(l.timing.stall_cycles == l.timing.cycles - l.timing.compute_cycles);
}

}  // namespace

TEST_CASE("ws: activation rows stream in chunks", "[ws]") { check_chunked_layers("ws"); }
TEST_CASE("is: weight rows stream in chunks", "[is]") { check_chunked_layers("is"); }

int sc_main(int argc, char** argv) { return Catch::Session().run(argc, argv); }
