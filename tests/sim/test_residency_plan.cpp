// Unit tests of the steady regime's allocation (sim/model/residency.hpp, docs/sim.md "Residency"): which layers'
// weights are pinned, which outputs stay on chip, on the Fashion-MNIST CNN and ResNet-18 on edge-small, against the
// hand-derived decisions; and that the cold regime changes no plan.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/model/residency.hpp"
#include "sim/run/simulation.hpp"
#include "numerics/workload.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

namespace {
SimConfig edge_small(const std::string& residency) {
  std::ifstream in("../../sim/presets/edge-small.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  const std::string key = "  float_reference: true\n";
  REQUIRE(text.find(key) != std::string::npos);
  text.replace(text.find(key), key.size(), key + "  residency: " + residency + "\n");
  return parse_config(text, "edge-small.yaml", "../../sim/presets");
}

std::vector<LayerPlan> plans_of(const std::string& residency, const std::string& workload) {
  Simulation s(edge_small(residency), workload::read_csv(workload), workload);
  s.validate();
  return s.plans();
}

std::string column(const std::vector<LayerPlan>& plans, std::string (*label)(const LayerPlan&)) {
  std::string o;
  for (const auto& p : plans) o += label(p) + " ";
  return o;
}
}  // namespace

TEST_CASE("residency: feeds() and the stored input", "[sim][residency]") {
  const auto f = workload::read_csv("../../workloads/tables/fmnist_cnn.csv");
  REQUIRE(f.size() == 4);
  CHECK(feeds(f[0], f[1]) == 2);  // 28x28x16 -> 2x2 pooling -> 14x14x16
  CHECK(feeds(f[1], f[2]) == 2);  // 14x14x32 -> pooling, flatten -> 1568
  CHECK(feeds(f[2], f[3]) == 1);  // fc1 64 -> fc2 K 64
  CHECK(feeds(f[0], f[2]) == 0);
  CHECK(stored_input_elements(f[0], 16) == 784 * 9);    // 1 channel: the lowered matrix
  CHECK(stored_input_elements(f[1], 16) == 14 * 14 * 16);  // 16 channels: the feature map, not 196 x 144
  const auto r = workload::read_csv("../../sim/examples/resnet18.csv");
  CHECK(feeds(r[0], r[1]) == 2);  // conv1 112x112x64 -> max-pool -> 56x56x64
  CHECK(feeds(r[6], r[7]) == 0);  // layer2.0.conv2 -> downsample (reads the block input)
  CHECK(feeds(r[7], r[8]) == 1);  // downsample 28x28x128 -> layer2.1.conv1
  CHECK(feeds(r[19], r[20]) == 7);  // layer4.1.conv2 7x7x512 -> average pool -> fc K 512
  CHECK(stored_input_elements(r[7], 16) == 28 * 28 * 64);  // 1x1 stride 2: the lowered matrix is smaller
}

TEST_CASE("residency: Fashion-MNIST CNN on edge-small pins everything and chains every layer", "[sim][residency]") {
  const std::string wl = "../../workloads/tables/fmnist_cnn.csv";
  const auto cold = plans_of("cold", wl), steady = plans_of("steady", wl);
  CHECK(column(cold, weights_residency) == "layer layer layer layer ");
  CHECK(column(cold, output_residency) == "off-chip off-chip off-chip off-chip ");
  CHECK(column(steady, weights_residency) == "pinned pinned pinned pinned ");
  CHECK(column(steady, input_residency) == "layer on-chip on-chip on-chip ");
  CHECK(column(steady, output_residency) == "on-chip on-chip on-chip off-chip ");
  // conv2's input is the 14 x 14 x 16 map: 3136 codes x 4 bits, 196 scales x 8 bits, written by conv1.
  CHECK((steady[0].next_a_bits == 12544 && steady[0].next_a_scale_bits == 1568 && steady[1].a_bits == 12544));
  CHECK(cold[1].a_bits == 196 * 144 * 4);  // cold keeps the lowered copy
}

TEST_CASE("residency: ResNet-18 on edge-small pins what fits beside every layer's working set", "[sim][residency]") {
  const std::string wl = "../../sim/examples/resnet18.csv";
  const auto cold = plans_of("cold", wl), steady = plans_of("steady", wl);
  // Greedy in workload order (weight bank 2,097,152 bits): conv1, layer1 (4 x 147,456) and layer2.0.conv1 (294,912)
  // pin; layer2.0.conv2 (589,824) would leave 585,024 bits < the 589,824 that layer2.1's convs need loaded per layer;
  // the two small downsamples (32,768 and 131,072) still fit; layer3/4 and fc weights do not fit their bank per layer.
  CHECK(column(steady, weights_residency) ==
        "pinned pinned pinned pinned pinned pinned layer pinned layer layer streamed streamed pinned streamed "
        "streamed streamed streamed layer streamed streamed streamed ");
  int64_t pinned = 0;
  for (const auto& p : steady) pinned += p.b_pinned ? p.b_bits : 0;
  CHECK(pinned == 37632 + 4 * 147456 + 294912 + 32768 + 131072);
  // Outputs on chip only where both maps fit the 1 Mbit activation bank (two 56x56x64 maps do not).
  CHECK(column(steady, output_residency) ==
        "on-chip off-chip off-chip off-chip off-chip off-chip off-chip on-chip off-chip off-chip on-chip off-chip "
        "on-chip on-chip on-chip on-chip off-chip on-chip on-chip on-chip off-chip ");
  // Pinning never takes away a working set: every layer's residency in steady is at least its cold one.
  for (size_t i = 0; i < cold.size(); ++i) {
    INFO(cold[i].name);
    CHECK((steady[i].b_resident == cold[i].b_resident && (steady[i].a_resident || !cold[i].a_resident)));
  }
  for (const auto& p : cold) CHECK_FALSE((p.b_pinned || p.a_on_chip || p.out_on_chip));
}

// The product tables' load (sim/model/residency.hpp, plan_lut_load): a ROM is never loaded; a latch or SRAM table is
// loaded before every inference (cold) or once (steady), one image fetched and written into every lane's copy.
TEST_CASE("LUT contents: loaded per inference (cold), once (steady), never (logic)") {
  auto with = [](const std::string& residency, const std::string& storage, const std::string& multiplier) {
    std::string text;
    std::ifstream in("../../sim/presets/edge-small.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    const std::string key = "    voltage_v: 0.9\n";
    REQUIRE(text.find(key) != std::string::npos);
    text.replace(text.find(key), key.size(), key + "    lut_storage: " + storage + "\n");
    const std::string mul = "multiplier: mantissa-lut";
    text.replace(text.find(mul), mul.size(), "multiplier: " + multiplier);
    text += "  residency: " + residency + "\n";
    return plan_lut_load(parse_config(text, "edge-small.yaml", "../../sim/presets"));
  };
  const LutLoad rom = with("steady", "logic", "mantissa-lut");
  CHECK(rom.when == "never");
  CHECK(rom.image_bits == 0);
  CHECK(rom.words_written == 0);
  for (const std::string storage : {"latch", "sram"}) {
    const LutLoad cold = with("cold", storage, "mantissa-lut"), steady = with("steady", storage, "mantissa-lut");
    CHECK(cold.when == "per-inference");
    CHECK(steady.when == "once");
    CHECK(cold.image_bits == 16 * 4);                  // E2M1 mantissa LUT: 16 words of 4 bits
    CHECK(cold.copies == 4 * 4 * 16);                  // one per lane of the 4 x 4 x 16 array
    CHECK(cold.words_written == cold.copies * 16);
    CHECK(steady.words_written == cold.words_written);
  }
  const LutLoad full = with("cold", "sram", "full-lut");
  CHECK(full.image_bits == 256 * 10);                  // E2M1 x E2M1 full-product table: 256 words of 10 bits
}
