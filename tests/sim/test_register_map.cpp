// [registers]: docs/sim.md's register and error tables are the render of sim/model/register_map.hpp's tables (one
// owner), the POLICY encoding round-trips every registry policy, and the register offsets are distinct and aligned.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "numerics/error.hpp"
#include "numerics/registry.hpp"
#include "sim/model/register_map.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

TEST_CASE("registers: docs/sim.md holds the generated register map", "[registers]") {
  std::ifstream in(std::string(NVFP4_SOURCE_DIR) + "/docs/sim.md");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const std::string begin_marker = "<!-- register-map:", end_marker = "<!-- end register-map -->";
  const size_t b = doc.find(begin_marker);
  REQUIRE(b != std::string::npos);
  const size_t body = doc.find('\n', b) + 1;
  const size_t e = doc.find(end_marker, body);
  REQUIRE(e != std::string::npos);
  INFO("regenerate: build/bin/nvfp4sim registry --registers, between the markers of docs/sim.md");
  REQUIRE(doc.substr(body, e - body) == regs::register_map_markdown());
}

TEST_CASE("registers: offsets distinct, aligned, inside the register window; POLICY round-trips", "[registers]") {
  std::set<uint64_t> offsets;
  for (const regs::RegisterInfo& r : regs::kRegisters) {
    REQUIRE(r.offset % 4 == 0);
    REQUIRE(r.offset < regs::kRegisterBytes);
    REQUIRE(offsets.insert(r.offset).second);
  }
  for (const char* p : {"fp32-seq", "blackwell-mma", "fixed:32:16", "fixed:8:0", "fixed:64:63", "fixed:26:0"}) {
    const AccumPolicy policy = AccumPolicy::parse(p);
    REQUIRE(regs::decode_policy(regs::encode_policy(policy)).name() == policy.name());
  }
  REQUIRE(regs::encode_policy(AccumPolicy::parse("fp32-seq")) == 0);
  REQUIRE_THROWS_AS(regs::decode_policy(static_cast<uint32_t>(accum_policies().size())), Error);
  REQUIRE_THROWS_AS(regs::decode_policy(2 | 65u << 8), Error);   // fixed with W = 65
  REQUIRE_THROWS_AS(regs::decode_policy(0 | 1u << 16), Error);   // fp32-seq with an F field
  REQUIRE_THROWS_AS(regs::decode_policy(1u << 24), Error);       // reserved bits
}
