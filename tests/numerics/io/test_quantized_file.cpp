// The quantized-tensor file (NVFP4_SPEC.md section 6): save/load round trips for every scheme and block layout, and
// load's validation of each member (dtype, shape, consistency with the spec), each failure naming file and member.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"
#include "temp_dir.hpp"

using nvfp4::Error;
using nvfp4::NpyArray;
using nvfp4::QuantizedTensor;
using nvfp4::QuantSpec;
using nvfp4::Scheme;
using Catch::Matchers::Contains;

namespace {

// A tensor with deterministic, non-trivial codes and scales in the layout the spec gives (pad nibbles zero).
QuantizedTensor make_tensor(QuantSpec spec, int64_t rows, int64_t cols) {
  QuantizedTensor q;
  q.spec = spec;
  q.rows = rows;
  q.cols = cols;
  q.codes.assign(static_cast<size_t>(rows * q.row_stride_bytes()), 0);
  uint8_t v = 1;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      v = static_cast<uint8_t>(v * 29 + 7);
      if (nvfp4::code_bits(spec.scheme) == 4) {
        q.set_code(r, c, v & 0xF);
      } else {
        const int64_t bytes = nvfp4::code_bits(spec.scheme) / 8;
        for (int64_t b = 0; b < bytes; ++b) q.codes[r * q.row_stride_bytes() + c * bytes + b] = v ^ static_cast<uint8_t>(b);
      }
    }
  if (nvfp4::has_block_scale(spec.scheme)) {
    const int64_t srows = spec.block_2d ? (rows + 15) / 16 : rows;
    const int64_t scols = spec.block_2d ? (cols + 15) / 16 : q.blocks_per_row();
    q.scales.resize(static_cast<size_t>(srows * scols * nvfp4::scale_bytes(spec.scheme)));
    for (size_t i = 0; i < q.scales.size(); ++i) q.scales[i] = static_cast<uint8_t>(0x30 + i % 0x40);
  }
  q.tensor_scale = 0.0123f;
  return q;
}

void require_same(const QuantizedTensor& a, const QuantizedTensor& b) {
  CHECK(a.spec.describe() == b.spec.describe());
  CHECK(a.spec.seed == b.spec.seed);
  CHECK(a.rows == b.rows);
  CHECK(a.cols == b.cols);
  CHECK(a.codes == b.codes);
  CHECK(a.scales == b.scales);
  CHECK(std::memcmp(&a.tensor_scale, &b.tensor_scale, 4) == 0);
}

}  // namespace

TEST_CASE("quantized file: save then load gives back every field, for every scheme", "[io][quantized]") {
  nvfp4::test::TempDir dir;
  for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                   Scheme::INT4}) {
    QuantSpec spec = QuantSpec::defaults_for(s);
    spec.seed = 0x0123456789ABCDEFull;
    spec.rounding = nvfp4::Rounding::SR;  // where the scheme defines stochastic rounding
    try {
      spec.validate();
    } catch (const Error&) {
      spec.rounding = nvfp4::Rounding::RN;
    }
    for (auto [rows, cols] : {std::pair<int64_t, int64_t>{3, 5}, {17, 70}}) {
      INFO(spec.describe() << " " << rows << "x" << cols);
      const QuantizedTensor q = make_tensor(spec, rows, cols);
      nvfp4::save_quantized(dir.file("q.npz"), q);
      require_same(q, nvfp4::load_quantized(dir.file("q.npz")));
    }
  }
  QuantSpec two_d = QuantSpec::defaults_for(Scheme::NVFP4);
  two_d.block_2d = true;
  const QuantizedTensor q = make_tensor(two_d, 17, 33);
  CHECK(q.scales.size() == 2 * 3);
  nvfp4::save_quantized(dir.file("q2.npz"), q);
  require_same(q, nvfp4::load_quantized(dir.file("q2.npz")));
}

TEST_CASE("quantized file: the members are plain arrays NumPy users can read", "[io][quantized]") {
  nvfp4::test::TempDir dir;
  const QuantizedTensor q = make_tensor(QuantSpec::defaults_for(Scheme::NVFP4), 4, 48);
  nvfp4::save_quantized(dir.file("q.npz"), q);
  const auto m = nvfp4::read_npz(dir.file("q.npz"));
  CHECK(m.size() == 11);
  CHECK(std::string(m.at("scheme").data.begin(), m.at("scheme").data.end()) == "nvfp4");
  CHECK(std::string(m.at("recipe").data.begin(), m.at("recipe").data.end()) == "te");
  CHECK(m.at("codes").shape == std::vector<int64_t>{4, 24});
  CHECK(m.at("scales").shape == std::vector<int64_t>{4, 3});
  CHECK(m.at("tensor_scale").dtype == "<f4");
  CHECK(m.at("tensor_scale").shape.empty());
  CHECK(m.at("shape").dtype == "<i8");
}

namespace {

// Saves a good tensor, lets `edit` change its members, writes them back and returns load's error message.
template <typename Edit>
std::string load_error_after(Edit edit, QuantSpec spec = QuantSpec::defaults_for(Scheme::NVFP4)) {
  nvfp4::test::TempDir dir;
  nvfp4::save_quantized(dir.file("q.npz"), make_tensor(spec, 3, 5));
  auto m = nvfp4::read_npz(dir.file("q.npz"));
  edit(m);
  nvfp4::write_npz(dir.file("q.npz"), m);
  try {
    nvfp4::load_quantized(dir.file("q.npz"));
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg, Contains(dir.file("q.npz")));
    return msg;
  }
  FAIL("load_quantized accepted an invalid file");
  return "";
}

NpyArray text(const std::string& s) {
  NpyArray a;
  a.dtype = "|u1";
  a.shape = {static_cast<int64_t>(s.size())};
  a.data.assign(s.begin(), s.end());
  return a;
}

template <typename T>
void set_scalar(NpyArray& a, T v) {
  REQUIRE(a.data.size() == sizeof(T));
  std::memcpy(a.data.data(), &v, sizeof(T));
}

}  // namespace

TEST_CASE("quantized file: load refuses inconsistent or foreign files, naming member and problem", "[io][quantized]") {
  using M = std::map<std::string, NpyArray>;
  CHECK_THAT(load_error_after([](M& m) { m.erase("scales"); }), Contains("missing member 'scales'"));
  CHECK_THAT(load_error_after([](M& m) { m["extra"] = text("x"); }), Contains("unexpected member 'extra'"));
  CHECK_THAT(load_error_after([](M& m) { m["scheme"] = text("nvfp5"); }), Contains("member 'scheme'"));
  CHECK_THAT(load_error_after([](M& m) { m["recipe"] = text("floor"); }), Contains("recipe"));
  CHECK_THAT(load_error_after([](M& m) { m["rounding"] = text("up"); }), Contains("member 'rounding'"));
  CHECK_THAT(load_error_after([](M& m) { set_scalar<int32_t>(m["nvfp4_file_version"], 2); }), Contains("version 2"));
  CHECK_THAT(load_error_after([](M& m) { set_scalar<int64_t>(m["block"], 0); }), Contains("not in 1..256"));
  CHECK_THAT(load_error_after([](M& m) { set_scalar<uint8_t>(m["block_2d"], 2); }), Contains("0 or 1"));
  CHECK_THAT(load_error_after([](M& m) { m["codes"].shape = {1, 9}; }), Contains("member 'codes': shape (1, 9)"));
  CHECK_THAT(load_error_after([](M& m) {
               m["codes"].data.pop_back();
               m["codes"].shape = {8};
             }),
             Contains("member 'codes'"));
  CHECK_THAT(load_error_after([](M& m) { m["scales"].dtype = "|u1", m["scales"].shape = {1, 3}; }),
             Contains("member 'scales': shape (1, 3), expected (3, 1)"));
  CHECK_THAT(load_error_after([](M& m) { m["tensor_scale"] = nvfp4::from_float32({1.0f}, {1}); }),
             Contains("member 'tensor_scale': shape (1,), expected ()"));
  CHECK_THAT(load_error_after([](M& m) { m["codes"].data[2] |= 0xF0; }), Contains("row 0 has a non-zero pad nibble"));
  CHECK_THAT(load_error_after([](M& m) {
               std::vector<int64_t> s = {3, 7};  // 7 columns need 4 code bytes per row
               std::memcpy(m["shape"].data.data(), s.data(), 16);
             }),
             Contains("member 'codes': shape (3, 3), expected (3, 4)"));
  CHECK_THAT(load_error_after([](M& m) { m["shape"].dtype = "<i4", m["shape"].shape = {4}; }),
             Contains("member 'shape': dtype <i4, expected <i8"));
}

TEST_CASE("quantized file: a NaN tensor scale (an injected fault) loads and poisons every value", "[io][quantized]") {
  nvfp4::test::TempDir dir;
  QuantizedTensor q = make_tensor(QuantSpec::defaults_for(Scheme::NVFP4), 3, 5);
  const std::vector<float> clean = nvfp4::dequantize(q);
  REQUIRE(std::isfinite(clean[0]));
  q.tensor_scale = NAN;
  nvfp4::save_quantized(dir.file("q.npz"), q);
  const QuantizedTensor back = nvfp4::load_quantized(dir.file("q.npz"));
  CHECK(std::isnan(back.tensor_scale));
  for (float v : nvfp4::dequantize(back)) CHECK(std::isnan(v));  // NaN propagates as in the hardware
}

TEST_CASE("quantized file: save refuses a tensor whose buffers do not match its shape", "[io][quantized]") {
  nvfp4::test::TempDir dir;
  QuantizedTensor q = make_tensor(QuantSpec::defaults_for(Scheme::NVFP4), 3, 5);
  q.scales.pop_back();
  CHECK_THROWS_WITH(nvfp4::save_quantized(dir.file("q.npz"), q), Contains("scales hold 2 bytes, the shape needs 3"));
  q = make_tensor(QuantSpec::defaults_for(Scheme::NVFP4), 3, 5);
  q.codes.push_back(0);
  CHECK_THROWS_WITH(nvfp4::save_quantized(dir.file("q.npz"), q), Contains("codes hold 10 bytes"));
  CHECK_FALSE(std::filesystem::exists(dir.file("q.npz")));
  CHECK_THROWS_WITH(nvfp4::load_quantized("data/savez_stored.npz"), Contains("missing member"));
  CHECK_THROWS_WITH(nvfp4::load_quantized("data/f32_2x3.npy"), Contains("not a valid .npz"));
}
