// nvfp4-inject end to end: outputs and report, determinism, GEMM error, and bad input (exit 2, message, no files).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include "numerics/npy.hpp"
#include "temp_dir.hpp"
#include "tensor_fixtures.hpp"

#ifndef NVFP4_INJECT_BIN
#error "NVFP4_INJECT_BIN must name the nvfp4-inject program"
#endif

namespace fs = std::filesystem;

namespace {

struct Run {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Run run(const ecc_test::TempDir& dir, const std::string& args) {
  const std::string out = dir.file("stdout.txt"), err = dir.file("stderr.txt");
  const std::string cmd = std::string(NVFP4_INJECT_BIN) + " " + args + " >" + out + " 2>" + err;
  const int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

struct Fixture {
  ecc_test::TempDir dir;
  std::string in, weights, out, report;
  Fixture() {
    in = dir.file("act.npz");
    weights = dir.file("w.npz");
    out = dir.file("faulty.npz");
    report = dir.file("report.json");
    nvfp4::save_quantized(in, ecc_test::random_nvfp4(32, 256, 1));
    nvfp4::save_quantized(weights, ecc_test::random_nvfp4(16, 256, 2));
  }
  std::string base() const { return "--in " + in + " --out " + out + " --report " + report; }
};

}  // namespace

TEST_CASE("nvfp4-inject writes the faulty tensor and a complete JSON report", "[cli]") {
  Fixture f;
  const Run r = run(f.dir, f.base() + " --vdd 0.5 --layout sign-exp-scale --seed 9 --gemm-with " + f.weights);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto clean = nvfp4::load_quantized(f.in);
  const auto faulty = nvfp4::load_quantized(f.out);
  CHECK(faulty.rows == clean.rows);
  CHECK(faulty.cols == clean.cols);
  CHECK((faulty.codes != clean.codes));  // at 0.50 V (BER 1.56%) some mantissas must flip
  const std::string json = slurp(f.report);
  for (const char* key : {"\"tool\": \"nvfp4-inject\"", "\"layout\": \"sign-exp-scale\"", "\"word_bits\": 64",
                          "\"codes\"", "\"detected_uncorrectable\"", "\"block_scales\"", "\"tensor_scale\"", "\"check_bits\"", "\"silent_bit_rate\"",
                          "\"sqnr_db\"", "\"max_abs_error\"", "\"overhead\"", "\"sram_preset\": \"sun2017-65nm\""}) {
    INFO(key);
    CHECK(json.find(key) != std::string::npos);
  }
  CHECK(!fs::exists(f.report + ".tmp-nvfp4-inject"));
  // Same seed, same bits; another seed, other bits.
  const std::string out2 = f.dir.file("faulty2.npz"), rep2 = f.dir.file("r2.json");
  REQUIRE(run(f.dir, "--in " + f.in + " --out " + out2 + " --report " + rep2 +
                         " --vdd 0.5 --layout sign-exp-scale --seed 9").status == 0);
  CHECK((nvfp4::load_quantized(out2).codes == faulty.codes));
  REQUIRE(run(f.dir, "--in " + f.in + " --out " + out2 + " --report " + rep2 +
                         " --vdd 0.5 --layout sign-exp-scale --seed 10").status == 0);
  CHECK((nvfp4::load_quantized(out2).codes != faulty.codes));
}

TEST_CASE("nvfp4-inject GEMM error: zero with no faults, non-zero with faults", "[cli]") {
  Fixture f;
  REQUIRE(run(f.dir, f.base() + " --vdd 0.5 --layout none --ber 0 --gemm-with " + f.weights).status == 0);
  std::string json = slurp(f.report);
  CHECK(json.find("\"outputs\": 512, \"differing\": 0, \"nonfinite\": 0, \"sqnr_db\": null, \"max_abs_error\": 0") !=
        std::string::npos);
  REQUIRE(run(f.dir, f.base() + " --vdd 0.5 --layout none --ber 0.01 --gemm-with " + f.weights +
                         " --operand a --accum fp32-seq").status == 0);
  json = slurp(f.report);
  CHECK(json.find("\"differing\": 0,") == std::string::npos);
  CHECK(json.find("\"sqnr_db\": null") == std::string::npos);
  CHECK(json.find("\"accum\": \"fp32-seq\"") != std::string::npos);
}

TEST_CASE("nvfp4-inject with a CSV table and mixed voltage", "[cli]") {
  Fixture f;
  const std::string table = f.dir.write("ber.csv", "vdd_v,bit_error_rate\n0.4,0.05\n0.5,0.01\n0.9,0\n");
  const Run r = run(f.dir, f.base() + " --vdd 0.45 --layout scale --ber-table " + table +
                               " --protected-vdd 0.9 --protected-code none");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK((nvfp4::load_quantized(f.out).scales == nvfp4::load_quantized(f.in).scales));
  CHECK(slurp(f.report).find("\"protected_bank\": 0") != std::string::npos);
}

TEST_CASE("nvfp4-inject refuses bad input: exit 2, a message, nothing written", "[cli]") {
  Fixture f;
  const std::string nonmono = f.dir.write("nm.csv", "vdd_v,bit_error_rate\n0.4,0.01\n0.5,0.02\n");
  const std::string malformed = f.dir.write("mf.csv", "vdd_v,bit_error_rate\n0.4,0.05\n0.5;0.01\n");
  struct Bad { std::string args; const char* message; };
  const std::string b = f.base();
  for (const Bad& bad : std::vector<Bad>{
           {b + " --vdd 0 --layout full", "must be > 0"},
           {b + " --vdd -0.3 --layout full", "must be > 0"},
           {b + " --vdd 1.2 --layout full", "above the nominal"},
           {b + " --vdd 0.5 --layout full --ber 1.5", "outside [0, 1]"},
           {b + " --vdd 0.5 --layout full --ber -0.01", "outside [0, 1]"},
           {b + " --vdd 0.45 --layout full --ber-table " + nonmono, "line 3"},
           {b + " --vdd 0.45 --layout full --ber-table " + malformed, "line 3"},
           {b + " --vdd 0.5 --layout everything", "unknown protection layout"},
           {b + " --vdd 0.5 --layout full --word-bits 3", "out of range"},
           {b + " --vdd 0.5 --layout full --word-bits 129", "out of range"},
           {b + " --vdd 0.5 --layout full --fault melt", "unknown fault model"},
           {b + " --vdd 0.5 --layout full --on-due retry", "keep, zero"},
           {b + " --vdd 0.5 --layout full --sram nope", "unknown SRAM preset"},
           {b + " --vdd 0.5 --layout full --protected-vdd 2", "above the nominal"},
           {b + " --vdd 0.5 --layout full --colour red", "unknown option"},
           {b + " --vdd abc --layout full", "not a finite number"},
           {"--in " + f.dir.file("missing.npz") + " --out " + f.out + " --report " + f.report +
                " --vdd 0.5 --layout full", "missing.npz"},
           {"--out " + f.out + " --report " + f.report + " --vdd 0.5 --layout full", "--in"}}) {
    const Run r = run(f.dir, bad.args);
    INFO(bad.args << "\nstderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("error: ") == 0);
    CHECK(r.err.find(bad.message) != std::string::npos);
    CHECK(!fs::exists(f.out));
    CHECK(!fs::exists(f.report));
  }
}
