// .npy reader/writer: headers of every version, dtypes, Fortran order, round trips, and every kind of bad input
// (each must throw nvfp4::Error naming the file and the problem).
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "numerics/error.hpp"
#include "numerics/io/atomic_file.hpp"
#include "numerics/npy.hpp"
#include "temp_dir.hpp"

using nvfp4::Error;
using nvfp4::NpyArray;
using Catch::Matchers::Contains;

namespace {

std::vector<uint8_t> make_npy(const std::string& header, int major = 1, const std::vector<uint8_t>& data = {}) {
  std::vector<uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  const uint32_t len = static_cast<uint32_t>(header.size());
  for (int i = 0; i < (major == 1 ? 2 : 4); ++i) b.push_back(static_cast<uint8_t>(len >> (8 * i)));
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

NpyArray parse(const std::vector<uint8_t>& b) { return nvfp4::parse_npy(b.data(), b.size(), "mem.npy"); }

std::vector<float> floats(const NpyArray& a) { return nvfp4::to_float32(a); }

}  // namespace

TEST_CASE("npy: fixtures written by NumPy read back with exact values", "[io][npy]") {
  const NpyArray f32 = nvfp4::read_npy("data/f32_2x3.npy");
  CHECK(f32.dtype == "<f4");
  CHECK(f32.shape == std::vector<int64_t>{2, 3});
  CHECK(floats(f32) == std::vector<float>{-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f});
  for (const char* v : {"data/v2_f32_2x3.npy", "data/v3_f32_2x3.npy"}) {
    const NpyArray a = nvfp4::read_npy(v);
    CHECK(a.shape == f32.shape);
    CHECK(a.data == f32.data);
  }

  const std::vector<float> f16 = floats(nvfp4::read_npy("data/f16_5.npy"));
  REQUIRE(f16.size() == 5);
  CHECK(f16[0] == 0.0f);
  CHECK(std::signbit(f16[1]));
  CHECK(f16[2] == 1.0f);
  CHECK(f16[3] == 65504.0f);
  CHECK(f16[4] == std::ldexp(1.0f, -24));

  CHECK(floats(nvfp4::read_npy("data/f64_2x2.npy")) ==
        std::vector<float>{1.0f, -2.0f, 0.1f, std::numeric_limits<float>::infinity()});  // 1e300 rounds to inf

  const NpyArray u1 = nvfp4::read_npy("data/u1_4.npy");
  CHECK(u1.dtype == "|u1");
  CHECK(u1.data == std::vector<uint8_t>{0, 1, 128, 255});

  const NpyArray bf = nvfp4::read_npy("data/bf16_as_u2_3.npy");
  CHECK(bf.dtype == "<u2");
  CHECK(nvfp4::to_float32(bf, true) == std::vector<float>{1.0f, -2.5f, 3.140625f});
  CHECK_THROWS_WITH(nvfp4::to_float32(bf, false), Contains("bfloat16"));

  const NpyArray i4 = nvfp4::read_npy("data/i4_3.npy");
  CHECK(i4.dtype == "<i4");
  int32_t i4v[3];
  std::memcpy(i4v, i4.data.data(), 12);
  CHECK(i4v[0] == -1);
  CHECK(i4v[2] == 2147483647);
  const NpyArray i8 = nvfp4::read_npy("data/i8_2.npy");
  int64_t i8v[2];
  std::memcpy(i8v, i8.data.data(), 16);
  CHECK(i8v[0] == std::numeric_limits<int64_t>::min());
  CHECK(i8v[1] == 42);
  CHECK(nvfp4::read_npy("data/u4_2.npy").dtype == "<u4");
  CHECK_THROWS_WITH(floats(i4), Contains("not a float type"));
}

TEST_CASE("npy: Fortran order is reordered to C order", "[io][npy]") {
  const NpyArray a = nvfp4::read_npy("data/fortran_f32_3x2.npy");
  CHECK(a.shape == std::vector<int64_t>{3, 2});
  CHECK(floats(a) == std::vector<float>{0, 1, 2, 3, 4, 5});  // np.arange(6).reshape(3, 2) in C order
}

TEST_CASE("npy: scalars and empty arrays", "[io][npy]") {
  const NpyArray s = nvfp4::read_npy("data/scalar_f32.npy");
  CHECK(s.shape.empty());
  CHECK(s.size() == 1);
  CHECK(floats(s) == std::vector<float>{3.5f});
  const NpyArray e = nvfp4::read_npy("data/empty_f32_0x4.npy");
  CHECK(e.shape == std::vector<int64_t>{0, 4});
  CHECK(e.size() == 0);
  CHECK(e.data.empty());
}

TEST_CASE("npy: write then read gives the same dtype, shape and bytes, in NumPy's layout", "[io][npy]") {
  nvfp4::test::TempDir dir;
  // The same array NumPy wrote: our file must be byte-identical to np.save's.
  const NpyArray ref = nvfp4::read_npy("data/f32_2x3.npy");
  nvfp4::write_npy(dir.file("x.npy"), ref);
  CHECK(nvfp4::io_detail::read_whole_file(dir.file("x.npy")) == nvfp4::io_detail::read_whole_file("data/f32_2x3.npy"));
  for (const char* f : {"data/u1_4.npy", "data/scalar_f32.npy", "data/empty_f32_0x4.npy", "data/i8_2.npy"}) {
    nvfp4::write_npy(dir.file("y.npy"), nvfp4::read_npy(f));
    INFO(f);
    CHECK(nvfp4::io_detail::read_whole_file(dir.file("y.npy")) == nvfp4::io_detail::read_whole_file(f));
  }
  // More dimensions than NumPy allows are refused before anything is written.
  NpyArray big;
  big.dtype = "|u1";
  big.shape.assign(20000, 1);
  big.shape[0] = 3;
  big.data = {7, 8, 9};
  CHECK_THROWS_WITH(nvfp4::write_npy(dir.file("z.npy"), big), Contains("more than 64 dimensions"));
}

TEST_CASE("npy: from_float32 round trip keeps every bit (NaN payloads, -0, subnormals)", "[io][npy]") {
  nvfp4::test::TempDir dir;
  std::vector<float> v;
  for (uint32_t bits : {0x00000000u, 0x80000000u, 0x00000001u, 0x7F7FFFFFu, 0x7F800000u, 0x7FC01234u, 0xFFFFFFFFu}) {
    float f;
    std::memcpy(&f, &bits, 4);
    v.push_back(f);
  }
  v.push_back(0.1f);
  nvfp4::write_npy(dir.file("r.npy"), nvfp4::from_float32(v, {2, 4}));
  const NpyArray back = nvfp4::read_npy(dir.file("r.npy"));
  CHECK(back.shape == std::vector<int64_t>{2, 4});
  const std::vector<float> w = floats(back);
  REQUIRE(w.size() == v.size());
  CHECK(std::memcmp(w.data(), v.data(), v.size() * 4) == 0);
  CHECK_THROWS_AS(nvfp4::from_float32(v, {3, 3}), Error);
}

TEST_CASE("npy: header syntax accepted as NumPy writes it", "[io][npy]") {
  const std::vector<uint8_t> four = {0, 0, 128, 63};  // 1.0f
  CHECK(parse(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", 1, four)).size() == 1);
  CHECK(parse(make_npy("{\"shape\": (1,), \"descr\": \"<f4\", \"fortran_order\": False}   \n", 2, four)).size() == 1);
  CHECK(parse(make_npy("{'descr':'<f4','fortran_order':False,'shape':(1, 1)}\n", 3, four)).shape ==
        std::vector<int64_t>{1, 1});
  CHECK(parse(make_npy("{'descr': '<u1', 'fortran_order': False, 'shape': (2L,), }\n", 1, {1, 2})).dtype == "|u1");
}

TEST_CASE("npy: malformed headers are refused with a message naming the file and the problem", "[io][npy]") {
  const std::vector<uint8_t> four = {0, 0, 128, 63};
  struct Bad {
    std::string header;
    const char* message;
  };
  const std::vector<Bad> bad = {
      {"{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", "big-endian"},
      {"{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", "unsupported dtype '<c8'"},
      {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", "structured"},
      {"{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }\n", "True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1), }\n", "must be a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", "non-negative"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}\n", "unexpected or repeated key 'extra'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}\n", "repeated"},
      {"{'descr': '<f4', 'shape': (1,)}\n", "must have the keys"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x\n", "after the header"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,)\n", "expected '}'"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}\n", "expected '}' at offset 17"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}\n", "too large"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}\n", "too many elements"},
  };
  for (const Bad& b : bad) {
    INFO(b.header);
    CHECK_THROWS_WITH(parse(make_npy(b.header, 1, four)), Contains("mem.npy") && Contains(b.message));
  }
  CHECK_THROWS_WITH(parse({1, 2, 3}), Contains("shorter than the .npy preamble"));
  CHECK_THROWS_WITH(parse(std::vector<uint8_t>(20, 'x')), Contains("magic"));
  std::vector<uint8_t> v4 = make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", 1, four);
  v4[6] = 4;
  CHECK_THROWS_WITH(parse(v4), Contains("version 4.0"));
  std::vector<uint8_t> huge = make_npy("{}", 2);
  huge[8] = huge[9] = huge[10] = huge[11] = 0xFF;  // header length 4 GiB
  CHECK_THROWS_WITH(parse(huge), Contains("exceeds the limit"));
  // data shorter or longer than the header says
  CHECK_THROWS_WITH(parse(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", 1, four)),
                    Contains("truncated .npy data") && Contains("need 8 bytes"));
  CHECK_THROWS_WITH(parse(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }\n", 1, four)),
                    Contains("unexpected bytes after the data"));
}

TEST_CASE("npy: every truncation of a valid file throws nvfp4::Error (memory and file paths)", "[io][npy]") {
  nvfp4::test::TempDir dir;
  const std::vector<uint8_t> whole = nvfp4::io_detail::read_whole_file("data/f32_2x3.npy");
  for (size_t n = 0; n < whole.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    CHECK_THROWS_AS(nvfp4::parse_npy(whole.data(), n, "prefix.npy"), Error);
    std::ofstream(dir.file("p.npy"), std::ios::binary).write(reinterpret_cast<const char*>(whole.data()), n);
    CHECK_THROWS_WITH(nvfp4::read_npy(dir.file("p.npy")), Contains(dir.file("p.npy")));
  }
  CHECK(nvfp4::parse_npy(whole.data(), whole.size(), "whole.npy").size() == 6);  // the full file is fine
}

TEST_CASE("npy: a header claiming a huge shape fails on the file length, without allocating", "[io][npy]") {
  nvfp4::test::TempDir dir;
  const auto b = make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000), }\n", 1, {1, 2});
  std::ofstream(dir.file("liar.npy"), std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
  CHECK_THROWS_WITH(nvfp4::read_npy(dir.file("liar.npy")), Contains("truncated .npy data"));
}

TEST_CASE("npy: missing files, directories and refused NumPy files", "[io][npy]") {
  CHECK_THROWS_WITH(nvfp4::read_npy("data/does_not_exist.npy"), Contains("does_not_exist.npy: cannot open"));
  CHECK_THROWS_WITH(nvfp4::read_npy("data"), Contains("is a directory"));
  CHECK_THROWS_WITH(nvfp4::read_npy("data/bad_big_endian_f4.npy"), Contains("big-endian"));
  CHECK_THROWS_WITH(nvfp4::read_npy("data/bad_structured.npy"), Contains("structured"));
  CHECK_THROWS_WITH(nvfp4::read_npy("data/bad_complex.npy"), Contains("unsupported dtype '<c8'"));
  CHECK_THROWS_WITH(nvfp4::read_npy("data/savez_stored.npz"), Contains("magic"));
}

TEST_CASE("npy: write refuses inconsistent arrays and leaves no file behind", "[io][npy]") {
  nvfp4::test::TempDir dir;
  NpyArray a;
  a.dtype = "<f4";
  a.shape = {3};
  a.data.resize(8);
  CHECK_THROWS_WITH(nvfp4::write_npy(dir.file("bad.npy"), a), Contains("need 12"));
  a.dtype = "<c8";
  CHECK_THROWS_WITH(nvfp4::write_npy(dir.file("bad.npy"), a), Contains("unsupported dtype"));
  CHECK_THROWS_AS(nvfp4::write_npy(dir.file("no_such_dir/x.npy"), nvfp4::from_float32({1.0f}, {1})), Error);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 0);
}
