// .npz archives: what np.savez (stored) and np.savez_compressed (deflated) write, our writer, and corrupt archives.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>

#include "numerics/error.hpp"
#include "numerics/io/atomic_file.hpp"
#include "numerics/io/npz_memory.hpp"
#include "numerics/npy.hpp"
#include "temp_dir.hpp"

using nvfp4::Error;
using nvfp4::NpyArray;
using Catch::Matchers::Contains;

namespace {

const std::vector<float> kF32 = {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f};

std::map<std::string, NpyArray> parse(const std::vector<uint8_t>& b) {
  return nvfp4::npz_detail::parse_npz(b.data(), b.size(), "mem.npz");
}

// Offset of the first central-directory header (signature PK\1\2).
size_t central_directory(const std::vector<uint8_t>& b) {
  for (size_t i = 0; i + 4 <= b.size(); ++i)
    if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2) return i;
  FAIL("no central directory");
  return 0;
}

}  // namespace

TEST_CASE("npz: np.savez (stored) and np.savez_compressed (deflated) archives read back exactly", "[io][npz]") {
  const auto stored = nvfp4::read_npz("data/savez_stored.npz");
  REQUIRE(stored.size() == 2);
  CHECK(stored.at("a").shape == std::vector<int64_t>{2, 3});
  CHECK(nvfp4::to_float32(stored.at("a")) == kF32);
  CHECK(stored.at("b").data == std::vector<uint8_t>{0, 1, 128, 255});

  const auto deflated = nvfp4::read_npz("data/savez_deflated.npz");
  REQUIRE(deflated.size() == 2);
  CHECK(nvfp4::to_float32(deflated.at("a")) == kF32);
  CHECK(deflated.at("b").shape == std::vector<int64_t>{1000});
  const std::vector<float> zeros = nvfp4::to_float32(deflated.at("b"));
  CHECK(std::all_of(zeros.begin(), zeros.end(), [](float v) { return v == 0.0f; }));
}

TEST_CASE("npz: write then read round-trips every member; the bytes are reproducible", "[io][npz]") {
  nvfp4::test::TempDir dir;
  std::map<std::string, NpyArray> m;
  m["x"] = nvfp4::from_float32(kF32, {3, 2});
  m["codes"] = nvfp4::read_npy("data/u1_4.npy");
  m["scalar"] = nvfp4::read_npy("data/scalar_f32.npy");
  m["empty"] = nvfp4::read_npy("data/empty_f32_0x4.npy");
  nvfp4::write_npz(dir.file("m.npz"), m);
  const auto back = nvfp4::read_npz(dir.file("m.npz"));
  REQUIRE(back.size() == m.size());
  for (const auto& [k, a] : m) {
    INFO(k);
    CHECK(back.at(k).dtype == a.dtype);
    CHECK(back.at(k).shape == a.shape);
    CHECK(back.at(k).data == a.data);
  }
  nvfp4::write_npz(dir.file("again.npz"), m);
  CHECK(nvfp4::io_detail::read_whole_file(dir.file("m.npz")) ==
        nvfp4::io_detail::read_whole_file(dir.file("again.npz")));
  // Only the two archives: no temporary files left behind.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 2);
}

TEST_CASE("npz: bad member names and arrays are refused before anything is written", "[io][npz]") {
  nvfp4::test::TempDir dir;
  std::map<std::string, NpyArray> m;
  m["a/b"] = nvfp4::from_float32({1.0f}, {1});
  CHECK_THROWS_WITH(nvfp4::write_npz(dir.file("x.npz"), m), Contains("invalid member name 'a/b'"));
  m.clear();
  m["a"].dtype = "<f4";
  m["a"].shape = {2};
  CHECK_THROWS_WITH(nvfp4::write_npz(dir.file("x.npz"), m), Contains("x.npz:a") && Contains("need 8"));
  CHECK_FALSE(std::filesystem::exists(dir.file("x.npz")));
}

TEST_CASE("npz: every truncation of a real archive throws nvfp4::Error", "[io][npz]") {
  for (const char* f : {"data/savez_stored.npz", "data/savez_deflated.npz"}) {
    const std::vector<uint8_t> whole = nvfp4::io_detail::read_whole_file(f);
    for (size_t n = 0; n < whole.size(); ++n) {
      INFO(f << " prefix of " << n << " bytes");
      CHECK_THROWS_AS(nvfp4::npz_detail::parse_npz(whole.data(), n, "prefix.npz"), Error);
    }
  }
}

TEST_CASE("npz: single-byte corruptions either parse or throw nvfp4::Error, never anything else", "[io][npz]") {
  std::mt19937 rng(1234);
  for (const char* f : {"data/savez_stored.npz", "data/savez_deflated.npz"}) {
    const std::vector<uint8_t> whole = nvfp4::io_detail::read_whole_file(f);
    int refused = 0;
    for (size_t i = 0; i < whole.size(); ++i) {
      std::vector<uint8_t> b = whole;
      b[i] ^= static_cast<uint8_t>(1u << (rng() % 8));
      try {
        parse(b);
      } catch (const Error&) {
        ++refused;
      }
    }
    // Most single-bit flips hit checked bytes (headers, CRC-covered data); a reader that checks nothing would fail this.
    CHECK(refused > static_cast<int>(whole.size()) / 2);
  }
}

TEST_CASE("npz: lying sizes, foreign members and non-zip input are refused", "[io][npz]") {
  std::vector<uint8_t> b = nvfp4::io_detail::read_whole_file("data/savez_stored.npz");
  const size_t cd = central_directory(b);
  std::vector<uint8_t> liar = b;
  liar[cd + 24] = liar[cd + 25] = liar[cd + 26] = 0xFF;  // uncompressed size ~ 16 MiB for a 200-byte member
  liar[cd + 27] = 0x7F;
  CHECK_THROWS_AS(parse(liar), Error);

  std::vector<uint8_t> renamed = b;  // member "a.npy" -> "a.txt" in both headers
  for (size_t i = 0; i + 5 <= renamed.size(); ++i)
    if (std::memcmp(&renamed[i], "a.npy", 5) == 0) std::memcpy(&renamed[i], "a.txt", 5);
  CHECK_THROWS_WITH(parse(renamed), Contains("member 'a.txt' is not a .npy array"));

  CHECK_THROWS_WITH(parse({}), Contains("not a valid .npz"));
  CHECK_THROWS_WITH(parse(std::vector<uint8_t>(100, 0)), Contains("not a valid .npz"));
  const std::vector<uint8_t> npy = nvfp4::io_detail::read_whole_file("data/f32_2x3.npy");
  CHECK_THROWS_WITH(parse(npy), Contains("mem.npz: not a valid .npz"));
  CHECK_THROWS_WITH(nvfp4::read_npz("data/none.npz"), Contains("data/none.npz: cannot open"));
}

TEST_CASE("npz: a member that is not a valid .npy names the archive and the member", "[io][npz]") {
  nvfp4::test::TempDir dir;
  // Build an archive whose member holds a truncated .npy: write a good one, then cut the member's data in the zip.
  std::map<std::string, NpyArray> m;
  m["w"] = nvfp4::from_float32(std::vector<float>(64, 2.0f), {8, 8});
  nvfp4::write_npz(dir.file("w.npz"), m);
  std::vector<uint8_t> b = nvfp4::io_detail::read_whole_file(dir.file("w.npz"));
  // Corrupt the header text inside the stored member ('descr' -> 'descX'): CRC fails first, which is also an Error.
  for (size_t i = 0; i + 5 <= b.size(); ++i)
    if (std::memcmp(&b[i], "descr", 5) == 0) b[i + 4] = 'X';
  CHECK_THROWS_WITH(parse(b), Contains("mem.npz") && Contains("'w.npy'"));
}
