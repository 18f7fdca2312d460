// End-to-end tests of the `nvfp4` tool: its files equal the library's results bit for bit, and every bad input gives
// "error: ..." on stderr, exit status 2 and no output file.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "cli_runner.hpp"
#include "numerics/gemm.hpp"
#include "numerics/io/atomic_file.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"

using nvfp4::test::CliResult;
using nvfp4::test::run_cli;
using nvfp4::test::TempDir;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kData = NVFP4_IO_DATA_DIR;  // NumPy-written fixtures (tests/numerics/io/data)

// Deterministic test matrix with a spread of magnitudes, negative values, exact ties and an outlier.
std::vector<float> matrix(int64_t rows, int64_t cols, uint32_t seed) {
  std::vector<float> v(static_cast<size_t>(rows * cols));
  uint32_t s = seed;
  for (float& x : v) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(static_cast<int32_t>(s >> 8) - (1 << 23)) / static_cast<float>(1 << 21);  // [-4, 4)
  }
  v[3] = 100.0f;   // outlier
  v[5] = 0.25f;    // E2M1 tie candidates
  v[6] = -2.5f;
  return v;
}

std::string save_matrix(const TempDir& dir, const std::string& name, const std::vector<float>& v, int64_t rows,
                        int64_t cols) {
  const std::string path = dir.file(name);
  nvfp4::write_npy(path, nvfp4::from_float32(v, {rows, cols}));
  return path;
}

std::vector<uint8_t> bytes(const std::string& path) { return nvfp4::io_detail::read_whole_file(path); }

void require_bits_equal(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    uint32_t g, w;
    std::memcpy(&g, &got[i], 4);
    std::memcpy(&w, &want[i], 4);
    if (g != w) FAIL("element " << i << ": CLI " << got[i] << " (0x" << std::hex << g << ") vs library " << want[i]
                                << " (0x" << w << ")");
  }
  // Guard against trivially equal outputs.
  CHECK(std::any_of(want.begin(), want.end(), [](float x) { return x != 0.0f; }));
}

// An error run: status 2, one "error: " line naming the problem, and no output file left.
void expect_error(const CliResult& r, const std::string& message, const std::string& output = "") {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, StartsWith("error: ") && Contains(message));
  if (!output.empty()) CHECK_FALSE(std::filesystem::exists(output));
}

}  // namespace

TEST_CASE("cli quantize: the .npz equals save_quantized of the library's result, byte for byte", "[cli]") {
  TempDir dir;
  const auto x = matrix(5, 40, 1);  // K = 40: a partial final block
  const std::string in = save_matrix(dir, "x.npy", x, 5, 40);
  struct Case {
    std::string options;
    nvfp4::QuantSpec spec;
  };
  auto spec = [](nvfp4::Scheme s, auto edit) {
    nvfp4::QuantSpec q = nvfp4::QuantSpec::defaults_for(s);
    edit(q);
    return q;
  };
  const std::vector<Case> cases = {
      {"", spec(nvfp4::Scheme::NVFP4, [](auto&) {})},
      {"--recipe cutlass --rounding sr --seed 77",
       spec(nvfp4::Scheme::NVFP4, [](auto& q) { q.recipe = nvfp4::Recipe::Cutlass, q.rounding = nvfp4::Rounding::SR,
                                                 q.seed = 77; })},
      {"--block 8", spec(nvfp4::Scheme::NVFP4, [](auto& q) { q.block = 8; })},
      {"--block-2d", spec(nvfp4::Scheme::NVFP4, [](auto& q) { q.block_2d = true; })},
      {"--scheme mxfp4 --recipe rceil", spec(nvfp4::Scheme::MXFP4, [](auto& q) { q.recipe = nvfp4::Recipe::RCeil; })},
      {"--scheme int4 --block 16", spec(nvfp4::Scheme::INT4, [](auto& q) { q.block = 16; })},
      {"--scheme fp8", spec(nvfp4::Scheme::FP8, [](auto&) {})},
  };
  for (const Case& c : cases) {
    INFO(c.options);
    const CliResult r = run_cli(dir, "quantize " + in + " -o " + dir.file("cli.npz") + " " + c.options);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains(c.spec.describe()));
    nvfp4::save_quantized(dir.file("lib.npz"), nvfp4::quantize(x.data(), 5, 40, c.spec));
    CHECK(bytes(dir.file("cli.npz")) == bytes(dir.file("lib.npz")));
  }
}

TEST_CASE("cli quantize reads NumPy's float16, float64, bfloat16-as-uint16 and N-d files", "[cli]") {
  TempDir dir;
  const std::string out = dir.file("q.npz");
  REQUIRE(run_cli(dir, "quantize " + kData + "/f16_5.npy -o " + out).status == 0);
  CHECK(nvfp4::load_quantized(out).cols == 5);
  REQUIRE(run_cli(dir, "quantize " + kData + "/bf16_as_u2_3.npy --dtype bf16 -o " + out).status == 0);
  const nvfp4::QuantizedTensor q = nvfp4::load_quantized(out);
  CHECK(nvfp4::dequantize(q) ==
        nvfp4::dequantize(nvfp4::quantize(std::vector<float>{1.0f, -2.5f, 3.140625f}.data(), 1, 3,
                                          nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4))));
  REQUIRE(run_cli(dir, "quantize " + kData + "/fortran_f32_3x2.npy -o " + out).status == 0);
  CHECK(nvfp4::load_quantized(out).rows == 3);
  // 3-D input: leading dimensions flatten into rows
  nvfp4::NpyArray a = nvfp4::from_float32(matrix(2 * 3 * 16, 1, 5), {2, 3, 16});
  nvfp4::write_npy(dir.file("x3.npy"), a);
  REQUIRE(run_cli(dir, "quantize " + dir.file("x3.npy") + " -o " + out).status == 0);
  CHECK(nvfp4::load_quantized(out).rows == 6);
  CHECK(nvfp4::load_quantized(out).cols == 16);
}

TEST_CASE("cli dequantize equals the library's dequantize, bit for bit", "[cli]") {
  TempDir dir;
  const auto x = matrix(7, 33, 2);
  const nvfp4::QuantizedTensor q = nvfp4::quantize(x.data(), 7, 33, nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4));
  nvfp4::save_quantized(dir.file("q.npz"), q);
  const CliResult r = run_cli(dir, "dequantize " + dir.file("q.npz") + " -o " + dir.file("d.npy"));
  REQUIRE(r.status == 0);
  const nvfp4::NpyArray d = nvfp4::read_npy(dir.file("d.npy"));
  CHECK(d.dtype == "<f4");
  CHECK(d.shape == std::vector<int64_t>{7, 33});
  require_bits_equal(nvfp4::to_float32(d), nvfp4::dequantize(q));
}

TEST_CASE("cli gemm equals the library's gemm under every policy, from .npy and from .npz operands", "[cli]") {
  TempDir dir;
  const int64_t m = 6, n = 5, k = 72;  // K not a multiple of 16
  const auto a = matrix(m, k, 3), b = matrix(n, k, 4);
  const std::string fa = save_matrix(dir, "a.npy", a, m, k), fb = save_matrix(dir, "b.npy", b, n, k);
  const nvfp4::QuantSpec spec = nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4);
  const nvfp4::QuantizedTensor qa = nvfp4::quantize(a.data(), m, k, spec), qb = nvfp4::quantize(b.data(), n, k, spec);
  nvfp4::save_quantized(dir.file("a.q.npz"), qa);
  nvfp4::save_quantized(dir.file("b.q.npz"), qb);
  for (const char* policy : {"fp32-seq", "blackwell-mma", "fixed:32:8", "fixed:24"}) {
    INFO(policy);
    const std::vector<float> want = nvfp4::gemm(qa, qb, nvfp4::AccumPolicy::parse(policy));
    for (const std::string& operands :
         {fa + " " + fb, dir.file("a.q.npz") + " " + dir.file("b.q.npz"), fa + " " + dir.file("b.q.npz")}) {
      INFO(operands);
      const CliResult r = run_cli(dir, "gemm " + operands + " -o " + dir.file("d.npy") + " --accum " + policy);
      REQUIRE(r.status == 0);
      const nvfp4::NpyArray d = nvfp4::read_npy(dir.file("d.npy"));
      CHECK(d.shape == std::vector<int64_t>{m, n});
      require_bits_equal(nvfp4::to_float32(d), want);
    }
  }
  const CliResult r = run_cli(dir, "gemm " + fa + " " + fb + " -o " + dir.file("d.npy") + " --compare-float");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("SQNR"));
  // The thread count never changes the bits.
  REQUIRE(run_cli(dir, "gemm " + fa + " " + fb + " -o " + dir.file("d0.npy") + " --threads 0").status == 0);
  REQUIRE(run_cli(dir, "gemm " + fa + " " + fb + " -o " + dir.file("d1.npy") + " --threads 1").status == 0);
  CHECK(bytes(dir.file("d0.npy")) == bytes(dir.file("d1.npy")));
}

TEST_CASE("cli inspect reports storage, block statistics and the SQNR the library computes", "[cli]") {
  TempDir dir;
  const auto x = matrix(4, 64, 6);
  const std::string in = save_matrix(dir, "x.npy", x, 4, 64);
  REQUIRE(run_cli(dir, "quantize " + in + " -o " + dir.file("q.npz")).status == 0);
  const CliResult r = run_cli(dir, "inspect " + dir.file("q.npz") + " --input " + in);
  REQUIRE(r.status == 0);
  const std::vector<float> deq = nvfp4::dequantize(nvfp4::load_quantized(dir.file("q.npz")));
  double signal = 0, noise = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    signal += static_cast<double>(x[i]) * x[i];
    noise += (static_cast<double>(x[i]) - deq[i]) * (static_cast<double>(x[i]) - deq[i]);
  }
  char sqnr[32];
  std::snprintf(sqnr, sizeof sqnr, "SQNR %.2f dB", 10 * std::log10(signal / noise));
  INFO(r.out);
  CHECK_THAT(r.out, Contains(sqnr));
  CHECK_THAT(r.out, Contains("4.6250 bits/element"));  // 4 + 8/16 + 32/256
  CHECK_THAT(r.out, Contains("blocks         16 of 1 x 16"));
  CHECK_THAT(r.out, Contains("saturated") && Contains("scale codes") && Contains("UE4M3"));
  // A float .npy is quantized in memory with the given options.
  const CliResult f = run_cli(dir, "inspect " + in + " --scheme mxfp4");
  REQUIRE(f.status == 0);
  CHECK_THAT(f.out, Contains("mxfp4/floor/B32") && Contains("UE8M0") && Contains("SQNR"));
  // Every scheme and block layout can be inspected.
  for (const char* options : {"--scheme fp4", "--scheme fp4-tensor", "--scheme fp8", "--scheme fp16",
                              "--scheme int4", "--scheme int4 --block 16 --block-2d", "--block-2d", "--block 256"}) {
    const CliResult s = run_cli(dir, "inspect " + in + " " + options);
    INFO(options << "\n" << s.err);
    CHECK(s.status == 0);
    CHECK_THAT(s.out, Contains("SQNR") && Contains("bits/element"));
  }
}

TEST_CASE("cli demo runs and reports every policy", "[cli]") {
  TempDir dir;
  const CliResult r = run_cli(dir, "demo --m 16 --n 24 --k 256 --save-dir " + dir.path().string());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  for (const char* s : {"fp32-seq", "blackwell-mma", "fixed:32:8", "bits/elem", "SQNR", "nvfp4/te/B16/1d/rn"})
    CHECK_THAT(r.out, Contains(s));
  const nvfp4::QuantizedTensor qa = nvfp4::load_quantized(dir.file("a.q.npz"));
  const nvfp4::QuantizedTensor qb = nvfp4::load_quantized(dir.file("b.q.npz"));
  require_bits_equal(nvfp4::to_float32(nvfp4::read_npy(dir.file("d_fp32-seq.npy"))),
                     nvfp4::gemm(qa, qb, nvfp4::AccumPolicy::parse("fp32-seq")));
}

TEST_CASE("cli help: top level and every command explain themselves, exit 0", "[cli]") {
  TempDir dir;
  const CliResult top = run_cli(dir, "--help");
  CHECK(top.status == 0);
  for (const char* cmd : {"quantize", "dequantize", "gemm", "inspect", "demo"}) {
    CHECK_THAT(top.out, Contains(cmd));
    const CliResult r = run_cli(dir, std::string(cmd) + " --help");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("Usage: nvfp4 " + std::string(cmd)));
  }
  CHECK_THAT(run_cli(dir, "gemm --help").out, Contains("--accum") && Contains("blackwell-mma") && Contains("fixed:W"));
  CHECK(run_cli(dir, "--version").status == 0);
}

TEST_CASE("cli errors: message, exit status 2, no output file", "[cli]") {
  TempDir dir;
  const std::string x = save_matrix(dir, "x.npy", matrix(4, 32, 7), 4, 32);
  const std::string y = save_matrix(dir, "y.npy", matrix(3, 48, 8), 3, 48);
  const std::string out = dir.file("out.npz"), dout = dir.file("out.npy");
  // truncated copies of a real file
  std::vector<uint8_t> whole = bytes(x);
  whole.resize(whole.size() - 5);
  {
    std::ofstream(dir.file("trunc.npy"), std::ios::binary).write(reinterpret_cast<const char*>(whole.data()), whole.size());
  }
  nvfp4::save_quantized(dir.file("q.npz"), nvfp4::quantize(matrix(4, 32, 7).data(), 4, 32,
                                                            nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4)));
  std::vector<uint8_t> qz = bytes(dir.file("q.npz"));
  qz.resize(qz.size() / 2);
  {
    std::ofstream(dir.file("trunc.npz"), std::ios::binary).write(reinterpret_cast<const char*>(qz.data()), qz.size());
  }
  std::vector<float> nan_in = matrix(4, 32, 9), inf_in = nan_in;
  nan_in[2 * 32 + 17] = NAN;
  inf_in[1 * 32 + 3] = -INFINITY;
  const std::string fnan = save_matrix(dir, "nan.npy", nan_in, 4, 32), finf = save_matrix(dir, "inf.npy", inf_in, 4, 32);

  expect_error(run_cli(dir, "frobnicate"), "unknown command 'frobnicate'");
  expect_error(run_cli(dir, ""), "subcommand is required");
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --frob"), "unexpected argument(s): --frob", out);
  expect_error(run_cli(dir, "quantize " + x), "--output is required");
  expect_error(run_cli(dir, "quantize " + dir.file("missing.npy") + " -o " + out), "missing.npy: cannot open", out);
  expect_error(run_cli(dir, "quantize " + dir.file("trunc.npy") + " -o " + out), "truncated .npy data", out);
  expect_error(run_cli(dir, "quantize " + kData + "/i4_3.npy -o " + out), "<i4 is not a float type", out);
  expect_error(run_cli(dir, "quantize " + kData + "/bf16_as_u2_3.npy -o " + out), "--dtype bf16", out);
  expect_error(run_cli(dir, "quantize " + x + " --dtype bf16 -o " + out), "--dtype bf16 needs a <u2 array", out);
  expect_error(run_cli(dir, "quantize " + kData + "/bad_big_endian_f4.npy -o " + out), "big-endian", out);
  expect_error(run_cli(dir, "quantize " + kData + "/empty_f32_0x4.npy -o " + out), "empty tensor", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --scheme nvfp5"), "--scheme: unknown", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --recipe nope"), "--recipe", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --scheme mxfp4 --recipe te"), "recipe", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --block 12"), "block", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --rounding up"), "--rounding", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + out + " --nonfinite maybe"), "--nonfinite", out);
  expect_error(run_cli(dir, "quantize " + fnan + " -o " + out), "element [2, 17] (flat index 81) is NaN", out);
  expect_error(run_cli(dir, "quantize " + finf + " -o " + out), "element [1, 3] (flat index 35) is -Inf", out);
  expect_error(run_cli(dir, "quantize " + dir.file("q.npz") + " -o " + out), "is a .npz archive", out);
  expect_error(run_cli(dir, "quantize " + x + " -o " + dir.file("no_dir/out.npz")), "no_dir/out.npz");
  expect_error(run_cli(dir, "dequantize " + x + " -o " + dout), "not a valid .npz", dout);
  expect_error(run_cli(dir, "dequantize " + dir.file("trunc.npz") + " -o " + dout), "trunc.npz", dout);
  expect_error(run_cli(dir, "gemm " + x + " " + y + " -o " + dout), "shape mismatch: A", dout);
  expect_error(run_cli(dir, "gemm " + x + " " + x + " -o " + dout + " --accum fp64"), "fp64", dout);
  expect_error(run_cli(dir, "gemm " + x + " " + x + " -o " + dout + " --accum fixed:99"), "fixed", dout);
  expect_error(run_cli(dir, "gemm " + x + " " + fnan + " -o " + dout), "is NaN", dout);
  expect_error(run_cli(dir, "gemm " + dir.file("q.npz") + " " + x + " -o " + dout + " --compare-float"),
               "--compare-float needs both", dout);
  expect_error(run_cli(dir, "inspect " + dir.file("q.npz") + " --input " + y), "shape mismatch", "");
  expect_error(run_cli(dir, "inspect " + dir.file("missing.npz")), "missing.npz");
  expect_error(run_cli(dir, "demo --k 0"), "--k");
  // Only the inputs made above remain: no output or temporary file was written by any failing run.
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    INFO(name);
    CHECK((name == "x.npy" || name == "y.npy" || name == "trunc.npy" || name == "q.npz" || name == "trunc.npz" ||
           name == "nan.npy" || name == "inf.npy" || name == "stdout.txt" || name == "stderr.txt"));
  }
  // The hardware rules quantize NaN/Inf instead of refusing them.
  CHECK(run_cli(dir, "quantize " + fnan + " -o " + out + " --nonfinite hardware").status == 0);
}
