// The injector's word-parallel access to a region's stored-bit stream (ecc/src/stream_index.hpp) against the stream's
// per-bit definition (ecc::gather: every stored bit placed one at a time in stream order): on random layouts (random
// code / scale masks, tensor scale in or out, both regions) over every scheme, 1-D and 2-D blocks, odd widths and rows
// shorter than a block, with random stored bytes (so a wrong bit position or byte order shows), gather(pos, n) equals
// the stream's bits [pos, pos + n) for every codeword of four widths and random windows, and locate(pos) names the
// byte and bit the definition stores stream bit pos in.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <sstream>

#include "ecc/protection_layout.hpp"
#include "ecc/src/stored_bits.hpp"
#include "ecc/src/stream_index.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;
using namespace nvfp4::ecc;

namespace {

// A tensor of the scheme's shape with random stored bytes (codes, pad nibbles, scales, tensor scale).
QuantizedTensor random_stored(Scheme s, bool block_2d, int block, int64_t rows, int64_t cols, std::mt19937_64& rng) {
  QuantSpec spec = QuantSpec::defaults_for(s);
  spec.block_2d = block_2d;
  if (block > 0) spec.block = block;
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = nd(rng);
  QuantizedTensor q = quantize(x.data(), rows, cols, spec);
  for (auto& b : q.codes) b = static_cast<uint8_t>(rng());
  for (auto& b : q.scales) b = static_cast<uint8_t>(rng());
  const uint32_t ts = static_cast<uint32_t>(rng());
  std::memcpy(&q.tensor_scale, &ts, 4);
  return q;
}

// The first bit where gather(pos, n) differs from the definition's stream, or -1.
int first_difference(const detail::StreamIndex& idx, const QuantizedTensor& q, const BitImage& stream, int64_t pos,
                     int n) {
  uint8_t ts[4];
  std::memcpy(ts, &q.tensor_scale, 4);
  const WideWord w = idx.gather(q.codes.data(), q.scales.data(), ts, pos, n);
  for (int b = 0; b < WideWord::kBits; ++b)
    if (w.get(b) != (b < n && stream.get(pos + b))) return b;
  return -1;
}

}  // namespace

TEST_CASE("stream gather and locate equal the per-bit stream definition on random layouts", "[inject][stream]") {
  struct Case {
    Scheme scheme;
    bool block_2d;
    int block;  // 0: the scheme's default
    int64_t rows, cols;
  };
  const Case cases[] = {{Scheme::NVFP4, false, 0, 23, 9},   {Scheme::NVFP4, false, 0, 6, 144},
                        {Scheme::NVFP4, false, 0, 5, 37},   {Scheme::NVFP4, true, 0, 32, 48},
                        {Scheme::MXFP4, false, 0, 7, 70},   {Scheme::FP4, false, 0, 9, 13},
                        {Scheme::FP4Tensor, false, 0, 5, 33}, {Scheme::FP8, false, 0, 11, 29},
                        {Scheme::FP16, false, 0, 4, 21},    {Scheme::INT4, false, 16, 10, 40},
                        {Scheme::INT4, false, 32, 3, 75}};
  std::mt19937_64 rng(2026);
  int64_t compared = 0, ones = 0;
  for (const Case& tc : cases) {
    for (int trial = 0; trial < 12; ++trial) {
      const QuantizedTensor q = random_stored(tc.scheme, tc.block_2d, tc.block, tc.rows, tc.cols, rng);
      const detail::StoredShape sh = detail::stored_shape(q);
      ProtectionLayout layout;
      // Random masks over the code / scale widths; the first trials take the named layouts' extremes.
      const uint32_t code_all = (1u << sh.code_bits) - 1, scale_all = sh.scale_bits ? (1u << sh.scale_bits) - 1 : 0;
      layout.code_mask = static_cast<uint16_t>(trial == 0 ? code_all : trial == 1 ? 0 : rng() & code_all);
      layout.scale_mask = static_cast<uint16_t>(trial < 2 ? scale_all : rng() & scale_all);
      layout.tensor_scale = (rng() & 1u) != 0;
      for (Region region : {Region::Protected, Region::Unprotected}) {
        const BitImage stream = ecc::gather(q, layout, region);
        const detail::StreamIndex idx(q, layout, region);
        std::ostringstream what;
        what << "scheme " << int(tc.scheme) << " 2d " << tc.block_2d << " " << tc.rows << "x" << tc.cols
             << " code_mask 0x" << std::hex << layout.code_mask << " scale_mask 0x" << layout.scale_mask << std::dec
             << " tensor " << layout.tensor_scale << " region " << int(region);
        INFO(what.str());
        REQUIRE(idx.bits() == stream.bits);
        for (int64_t i = 0; i < stream.bits; ++i) ones += stream.get(i);
        for (int k : {16, 64, 72, 128}) {  // every codeword of each width, the last one short
          for (int64_t pos = 0; pos < stream.bits; pos += k) {
            const int n = static_cast<int>(std::min<int64_t>(k, stream.bits - pos));
            INFO("gather(" << pos << ", " << n << ")");
            REQUIRE(first_difference(idx, q, stream, pos, n) == -1);
            ++compared;
          }
        }
        for (int t = 0; t < 40 && stream.bits > 0; ++t) {  // random windows: any start, any length up to 128
          const int64_t pos = static_cast<int64_t>(rng() % static_cast<uint64_t>(stream.bits));
          const int n = static_cast<int>(rng() % static_cast<uint64_t>(std::min<int64_t>(128, stream.bits - pos) + 1));
          INFO("gather(" << pos << ", " << n << ")");
          REQUIRE(first_difference(idx, q, stream, pos, n) == -1);
          ++compared;
        }
        // locate: flipping the named bit of the tensor flips stream bit pos and no other.
        for (int t = 0; t < 20 && stream.bits > 0; ++t) {
          const int64_t pos = static_cast<int64_t>(rng() % static_cast<uint64_t>(stream.bits));
          const detail::StreamLoc l = idx.locate(pos);
          QuantizedTensor flipped = q;
          const uint8_t m = static_cast<uint8_t>(1u << l.bit);
          if (l.field == Field::Codes) flipped.codes[static_cast<size_t>(l.byte)] ^= m;
          else if (l.field == Field::BlockScales) flipped.scales[static_cast<size_t>(l.byte)] ^= m;
          else {
            REQUIRE(l.field == Field::TensorScale);
            uint8_t ts[4];
            std::memcpy(ts, &flipped.tensor_scale, 4);
            ts[l.byte] ^= m;
            std::memcpy(&flipped.tensor_scale, ts, 4);
          }
          const BitImage after = ecc::gather(flipped, layout, region);
          INFO("locate(" << pos << ")");
          for (int64_t i = 0; i < stream.bits; ++i) REQUIRE(after.get(i) == (stream.get(i) != (i == pos)));
        }
      }
    }
  }
  // Guard against a trivially equal comparison: many windows over streams holding both bit values.
  CHECK(compared > 10000);
  CHECK(ones > 10000);
}
