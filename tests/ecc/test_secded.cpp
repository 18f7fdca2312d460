// SECDED proof over every data width 4..128: clean words pass, every single-bit error (data or check bit) is
// corrected, every double-bit error is detected; exhaustive triple-error statistics for the widths the project uses.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>

#include "ecc/secded.hpp"
#include "numerics/error.hpp"

using nvfp4::ecc::DecodeStatus;
using nvfp4::ecc::SecdedCode;
using nvfp4::ecc::WideWord;

namespace {

WideWord random_word(std::mt19937_64& rng, int k) {
  WideWord w{{rng(), rng(), rng()}};
  return w.low_bits(k);
}

// Independent check of a codeword: XOR of the syndrome columns of its set bits is 0 and its weight is even.
bool is_codeword(const SecdedCode& c, const WideWord& cw) {
  uint32_t s = 0;
  for (int pos = 0; pos < c.codeword_bits(); ++pos) {
    if (cw.get(pos)) s ^= c.column(pos);
  }
  return s == 0 && (cw.popcount() % 2) == 0;
}

// Data words for a width: all zeros, all ones, alternating, and random ones.
std::vector<WideWord> data_words(int k, std::mt19937_64& rng) {
  std::vector<WideWord> out{WideWord{}, WideWord{{~0ull, ~0ull, ~0ull}}.low_bits(k),
                            WideWord{{0x5555555555555555ull, 0x5555555555555555ull, 0}}.low_bits(k)};
  for (int i = 0; i < 3; ++i) out.push_back(random_word(rng, k));
  return out;
}

}  // namespace

TEST_CASE("check-bit count is the smallest r with 2^r >= k + r + 1", "[secded]") {
  struct Case { int k, r; };
  for (Case c : {Case{4, 3}, Case{8, 4}, Case{11, 4}, Case{12, 5}, Case{16, 5}, Case{26, 5}, Case{27, 6}, Case{32, 6},
                 Case{57, 6}, Case{58, 7}, Case{64, 7}, Case{72, 7}, Case{120, 7}, Case{121, 8}, Case{128, 8}}) {
    const SecdedCode code(c.k);
    CHECK(code.hamming_bits() == c.r);
    CHECK(code.codeword_bits() == c.k + c.r + 1);
    CHECK(SecdedCode::check_bits_for(c.k) == c.r + 1);  // without building the code
  }
  CHECK(SecdedCode(64).codeword_bits() == 72);  // the classic (72, 64) SECDED
}

TEST_CASE("data widths outside 4..128 are refused with a message", "[secded]") {
  CHECK_THROWS_WITH(SecdedCode(3), Catch::Contains("4..128"));
  CHECK_THROWS_WITH(SecdedCode(129), Catch::Contains("129"));
  CHECK_THROWS_AS(SecdedCode(0), nvfp4::Error);
  CHECK_THROWS_WITH(SecdedCode::check_bits_for(3), Catch::Contains("4..128"));
  CHECK_THROWS_WITH(SecdedCode::check_bits_for(129), Catch::Contains("129"));
}

TEST_CASE("every width 4..128: systematic, clean passes, all single errors corrected, all double errors detected",
          "[secded]") {
  std::mt19937_64 rng(12345);
  for (int k = SecdedCode::kMinDataBits; k <= SecdedCode::kMaxDataBits; ++k) {
    const SecdedCode code(k);
    const int n = code.codeword_bits();
    for (const WideWord& data : data_words(k, rng)) {
      const WideWord cw = code.encode(data);
      INFO("k = " << k);
      REQUIRE(cw.low_bits(k) == data);            // systematic
      REQUIRE(cw.low_bits(n) == cw);              // nothing beyond n bits
      REQUIRE(is_codeword(code, cw));
      const auto clean = code.decode(cw);
      REQUIRE(clean.status == DecodeStatus::Clean);
      REQUIRE(clean.data == data);
      for (int a = 0; a < n; ++a) {
        WideWord e1 = cw;
        e1.flip(a);
        const auto d1 = code.decode(e1);
        if (d1.status != DecodeStatus::Corrected || d1.corrected_bit != a || !(d1.data == data)) {
          FAIL("k=" << k << ": single error at bit " << a << " gave status " << to_string(d1.status)
                    << " corrected_bit " << d1.corrected_bit);
        }
        for (int b = a + 1; b < n; ++b) {
          WideWord e2 = e1;
          e2.flip(b);
          if (code.decode(e2).status != DecodeStatus::DetectedUncorrectable) {
            FAIL("k=" << k << ": double error at bits " << a << ", " << b << " was not detected");
          }
        }
      }
    }
  }
}

TEST_CASE("small widths: every data value round-trips", "[secded]") {
  for (int k : {4, 8, 12}) {
    const SecdedCode code(k);
    for (uint64_t v = 0; v < (uint64_t{1} << k); ++v) {
      WideWord d;
      d.limb[0] = v;
      const auto r = code.decode(code.encode(d));
      REQUIRE(r.status == DecodeStatus::Clean);
      REQUIRE(r.data.limb[0] == v);
    }
  }
}

TEST_CASE("triple errors of the widths the project uses: counts of miscorrected and detected patterns", "[secded]") {
  // 8: a scale byte; 32: the tensor scale; 64: the default SRAM word; 72: one NVFP4 block (16 x 4 + 8); 128: widest.
  for (int k : {8, 16, 32, 64, 72, 128}) {
    const SecdedCode code(k);
    const auto st = triple_error_stats(code);
    const uint64_t n = static_cast<uint64_t>(code.codeword_bits());
    CHECK(st.patterns == n * (n - 1) * (n - 2) / 6);
    CHECK(st.clean == 0);  // odd weight can never look clean
    CHECK(st.patterns == st.corrected + st.detected + st.miscorrected + st.clean);
    CHECK(st.miscorrected > 0);
    // A shortened code (k + r + 1 < 2^r ... ) detects the triples whose syndrome names no position.
    const bool full_length = (1 << code.hamming_bits()) == k + code.hamming_bits() + 1;
    CHECK((st.detected > 0) == !full_length);
    std::printf("SECDED k=%3d n=%3d: %llu triple patterns, %llu miscorrected (%.1f%%), %llu detected, "
                "%llu harmless, %.3f wrong data bits per pattern\n",
                k, code.codeword_bits(), static_cast<unsigned long long>(st.patterns),
                static_cast<unsigned long long>(st.miscorrected), 100.0 * st.miscorrected / st.patterns,
                static_cast<unsigned long long>(st.detected), static_cast<unsigned long long>(st.corrected),
                static_cast<double>(st.wrong_data_bits) / st.patterns);
  }
}

TEST_CASE("sampled triple errors on random data agree with the zero-word statistics (linearity)", "[secded]") {
  std::mt19937_64 rng(7);
  const SecdedCode code(64);
  const int n = code.codeword_bits();
  std::uniform_int_distribution<int> pos(0, n - 1);
  uint64_t mis = 0, det = 0;
  for (int t = 0; t < 20000; ++t) {
    const WideWord data = random_word(rng, 64);
    WideWord cw = code.encode(data);
    WideWord zero_cw = code.encode(WideWord{});
    int a = pos(rng), b = pos(rng), c = pos(rng);
    while (b == a) b = pos(rng);
    while (c == a || c == b) c = pos(rng);
    for (int p : {a, b, c}) {
      cw.flip(p);
      zero_cw.flip(p);
    }
    const auto d = code.decode(cw), dz = code.decode(zero_cw);
    REQUIRE(d.status == dz.status);
    REQUIRE((d.data ^ data) == dz.data);  // same error pattern in the data for any sent word
    if (d.status == DecodeStatus::DetectedUncorrectable) ++det;
    else if (!(d.data == data)) ++mis;
  }
  std::printf("SECDED (72,64) sampled 20000 triple errors: %llu miscorrected, %llu detected\n",
              static_cast<unsigned long long>(mis), static_cast<unsigned long long>(det));
  CHECK(mis + det > 0);
}
