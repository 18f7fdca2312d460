// ecc::ProtectedMemory (ecc/protected_memory.hpp): the sparse read equals a dense oracle that encodes and decodes
// every codeword and applies every failing cell of the same persistent map; sub-range reads equal slices of a whole
// read; faults persist; ECC corrects single errors; bad specs are refused.
#include <catch2/catch.hpp>

#include <bit>
#include <cstring>
#include <random>

#include "ecc/protected_memory.hpp"
#include "ecc/secded.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"

using namespace nvfp4;
using namespace nvfp4::ecc;

namespace {

std::shared_ptr<const FailureModel> sun65() { return make_failure_model(sram_preset("sun2017-65nm")); }

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 g(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(g());
  return v;
}

bool get(const std::vector<uint8_t>& v, int64_t x) { return (v[static_cast<size_t>(x >> 3)] >> (x & 7)) & 1u; }
void put(std::vector<uint8_t>& v, int64_t x, bool b) {
  const auto m = static_cast<uint8_t>(1u << (x & 7));
  v[static_cast<size_t>(x >> 3)] = b ? (v[static_cast<size_t>(x >> 3)] | m) : (v[static_cast<size_t>(x >> 3)] & ~m);
}

// Dense oracle: every bit placed in its stream, every codeword encoded, every failing cell applied, every word decoded.
std::vector<uint8_t> dense_read(const std::vector<uint8_t>& stored, const ProtectedMemorySpec& s, double p_data,
                                double p_prot) {
  std::vector<int64_t> prot, unprot;  // bank bits of each stream, in order
  for (int64_t x = 0; x < static_cast<int64_t>(stored.size()) * 8; ++x)
    ((s.element_mask >> (x % s.element_bits)) & 1u ? prot : unprot).push_back(x);
  std::vector<uint8_t> out = stored;
  auto cell_read = [&](bool v, const CellFault& f) {
    return s.fault == FaultKind::PersistentStuckAt ? f.stuck_value : !v;
  };
  for (const CellFault& f : faulty_cells(s.seed, s.bank_id, 0, p_data, 0, unprot.size())) {
    const int64_t x = unprot[f.cell];
    put(out, x, cell_read(get(stored, x), f));
  }
  const int k = s.word_bits;
  const SecdedCode code(k);
  const bool secded = s.code == ProtectedCode::Secded;
  const int n = secded ? code.codeword_bits() : k;
  const int64_t words = (static_cast<int64_t>(prot.size()) + k - 1) / k;
  const std::vector<CellFault> pf = faulty_cells(s.seed, s.bank_id + 1, 0, p_prot, 0, static_cast<uint64_t>(words * n));
  size_t i = 0;
  for (int64_t w = 0; w < words; ++w) {
    WideWord data;
    for (int b = 0; b < k; ++b)
      if (w * k + b < static_cast<int64_t>(prot.size())) data.set(b, get(stored, prot[w * k + b]));
    WideWord cw = secded ? code.encode(data) : data;
    const WideWord sent = cw;
    for (; i < pf.size() && static_cast<int64_t>(pf[i].cell) / n == w; ++i) {
      const int b = static_cast<int>(pf[i].cell - w * n);
      cw.set(b, cell_read(sent.get(b), pf[i]));
    }
    const WideWord fin = secded ? code.decode(cw).data : cw;
    for (int b = 0; b < k; ++b)
      if (w * k + b < static_cast<int64_t>(prot.size())) put(out, prot[w * k + b], fin.get(b));
  }
  return out;
}

int64_t differing_bits(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  int64_t d = 0;
  for (size_t i = 0; i < a.size(); ++i) d += std::popcount(static_cast<unsigned>(a[i] ^ b[i]));
  return d;
}

}  // namespace

TEST_CASE("protected memory: sparse read equals the dense oracle", "[protected_memory]") {
  struct Case { int element_bits; uint32_t mask; int word_bits; ProtectedCode code; FaultKind fault; double v; };
  const Case cases[] = {
      {4, 0xF, 64, ProtectedCode::Secded, FaultKind::PersistentFlip, 0.55},   // E2M1 codes, full
      {4, 0xE, 128, ProtectedCode::Secded, FaultKind::PersistentFlip, 0.52},  // sign-exp-scale
      {4, 0x0, 128, ProtectedCode::Secded, FaultKind::PersistentFlip, 0.55},  // none
      {8, 0xFF, 72, ProtectedCode::Secded, FaultKind::PersistentStuckAt, 0.50},  // scales, full, stuck-at
      {32, 0xFF800000u, 64, ProtectedCode::Secded, FaultKind::PersistentFlip, 0.52},  // fp32 sign + exponent
      {4, 0xE, 64, ProtectedCode::None, FaultKind::PersistentFlip, 0.55},     // mixed voltage: plain protected words
  };
  const auto failure = sun65();
  for (const Case& c : cases) {
    ProtectedMemorySpec s;
    s.bytes = 6000;  // not a multiple of any word: the last protected word is padded
    s.element_bits = c.element_bits;
    s.element_mask = c.mask;
    s.word_bits = c.word_bits;
    s.code = c.code;
    s.vdd_v = c.v;
    s.protected_vdd_v = c.code == ProtectedCode::None ? 0.6 : -1.0;
    s.fault = c.fault;
    s.seed = 11;
    s.bank_id = 4;
    INFO("element " << c.element_bits << " mask " << c.mask << " word " << c.word_bits << " V " << c.v);
    ProtectedMemory mem(s, failure);
    const std::vector<uint8_t> stored = random_bytes(static_cast<size_t>(s.bytes), 3);
    mem.write(0, stored.data(), s.bytes);
    std::vector<uint8_t> whole(stored.size());
    const MemoryReadCounts counts = mem.read(0, whole.data(), s.bytes);
    const double p_prot = failure->bit_error_rate(c.code == ProtectedCode::None ? 0.6 : c.v);
    const std::vector<uint8_t> oracle = dense_read(stored, s, failure->bit_error_rate(c.v), p_prot);
    REQUIRE(whole == oracle);
    REQUIRE(counts.raw_bit_errors > 0);  // the case really has faults
    // The bits delivered wrong are the silent plus the detected-uncorrectable ones.
    REQUIRE(differing_bits(whole, stored) == static_cast<int64_t>(counts.silent_bit_errors + counts.due_bits));
    if (c.mask == 0xF && c.code == ProtectedCode::Secded) REQUIRE(counts.corrected_words > 0);
    // Any sub-range reads as the slice of the whole read (codewords straddling its ends included); faults persist.
    for (auto [off, len] : {std::pair<int64_t, int64_t>{0, 1}, {5, 17}, {999, 1234}, {5990, 10}, {0, 6000}}) {
      std::vector<uint8_t> part(static_cast<size_t>(len));
      mem.read(off, part.data(), len);
      REQUIRE(std::memcmp(part.data(), whole.data() + off, static_cast<size_t>(len)) == 0);
    }
  }
}

TEST_CASE("protected memory: fault-free and refused specs", "[protected_memory]") {
  ProtectedMemorySpec s;
  s.bytes = 100;
  s.element_bits = 4;
  s.element_mask = 0xF;
  ProtectedMemory clean(s, nullptr);
  const std::vector<uint8_t> stored = random_bytes(100, 9);
  clean.write(0, stored.data(), 100);
  std::vector<uint8_t> back(100);
  const MemoryReadCounts c = clean.read(0, back.data(), 100);
  REQUIRE(back == stored);
  REQUIRE(c.raw_bit_errors == 0);
  REQUIRE_THROWS_AS(clean.read(90, back.data(), 11), Error);
  REQUIRE_THROWS_AS(clean.write(-1, stored.data(), 2), Error);
  ProtectedMemorySpec bad = s;
  bad.element_bits = 6;
  REQUIRE_THROWS_AS(ProtectedMemory(bad, nullptr), Error);
  bad = s;
  bad.element_mask = 0x1F;
  REQUIRE_THROWS_AS(ProtectedMemory(bad, nullptr), Error);
  bad = s;
  bad.word_bits = 200;
  REQUIRE_THROWS_AS(ProtectedMemory(bad, nullptr), Error);
  bad = s;
  bad.fault = FaultKind::TransientFlip;
  REQUIRE_THROWS_AS(ProtectedMemory(bad, nullptr), Error);
  bad = s;
  bad.vdd_v = 1.5;  // above the preset's nominal 1.0 V
  REQUIRE_THROWS_AS(ProtectedMemory(bad, sun65()), Error);
}
