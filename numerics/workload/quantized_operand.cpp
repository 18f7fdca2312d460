// Generated operands quantized with fewer passes over their floats (numerics/workload.hpp, quantize_generated_operand):
// a GEMM operand's tensor amax taken piece by piece as it is drawn, and a convolution's activations quantized before
// lowering where blocks allow (each pixel's C channels once instead of up to filter_h x filter_w times in the lowered
// M x K floats, and bytes instead of floats lowered), else lowered and encoded in cache-sized row chunks.
#include <algorithm>
#include <cstring>
#include <memory>

#include "numerics/ceil_div.hpp"
#include "numerics/error.hpp"
#include "numerics/quantize.hpp"
#include "numerics/workload.hpp"
#include "numerics/workload/lowering_runs.hpp"

namespace nvfp4::workload {
namespace {

// The operand drawn straight into uninitialized memory (no zero-fill, no copy) in pieces of about 16 KiB, each
// piece's rows scanned for the tensor amax while they are in L1; then one encoding pass.
QuantizedTensor quantize_stream(GeneratorStream stream, int64_t rows, int64_t K, const QuantSpec& spec) {
  const auto quantizer = make_quantizer(spec);
  const std::unique_ptr<float[]> x(new float[static_cast<size_t>(rows * K)]);
  const int64_t piece = std::max<int64_t>(1, 4096 / std::max<int64_t>(1, K));
  float amax = 0.0f;
  for (int64_t r0 = 0; r0 < rows; r0 += piece) {
    const int64_t n = std::min(piece, rows - r0);
    stream.fill(x.get() + r0 * K, static_cast<size_t>(n * K));
    amax = std::max(amax, quantizer->scan_rows(x.get() + r0 * K, r0, n, K));
  }
  QuantizedTensor q = quantizer->begin(rows, K, amax);
  quantizer->encode_rows(x.get(), 0, rows, amax, q);
  return q;
}

std::optional<QuantizedTensor> quantize_lowered(const Layer& l, int64_t index, const std::string& default_a,
                                                const std::string& default_b, uint64_t seed, const QuantSpec& spec) {
  if (l.kind != Layer::Kind::Conv) return std::nullopt;
  std::optional<std::vector<float>> map = generated_feature_map(l, index, default_a, default_b, seed);
  if (!map) return std::nullopt;
  const int64_t C = l.conv.channels;
  const ConvShape& c = l.conv;
  const int64_t P = c.batch * c.ifmap_h * c.ifmap_w;

  // The pixels some lowered row reads (a stride wider than the filter skips some): the lowered matrix holds only
  // them (and zeros), so only they make the tensor amax and only they are encoded.
  std::vector<uint8_t> used(static_cast<size_t>(P), 0);
  detail::for_each_lowered_run(
      l, [&](int64_t p, int64_t n) { std::memset(used.data() + p, 1, static_cast<size_t>(n)); }, [](int64_t) {});
  auto each_used_range = [&](auto&& f) {
    for (int64_t p = 0; p < P;) {
      if (!used[static_cast<size_t>(p)]) {
        ++p;
        continue;
      }
      int64_t e = p;
      while (e < P && used[static_cast<size_t>(e)]) ++e;
      f(p, e - p);
      p = e;
    }
  };
  const auto quantizer = make_quantizer(spec);
  const float* x = map->data();
  float amax = 0.0f;
  each_used_range([&](int64_t p, int64_t n) { amax = std::max(amax, quantizer->scan_rows(x + p * C, p, n, C)); });
  // Blocks that are not one pixel's channels (ResNet-18's conv1: C = 3), or an encoding that depends on the
  // element's position (stochastic rounding, 2-D blocks): the float rows lowered a cache-sized chunk at a time and
  // encoded there (encode_rows in row chunks = the whole tensor's bits), never the whole M x K matrix.
  const bool blocks = has_block_scale(spec.scheme);
  if (spec.rounding != Rounding::RN || spec.block_2d || (C * code_bits(spec.scheme)) % 8 != 0 ||
      (blocks && C % spec.block != 0)) {
    QuantizedTensor q = quantizer->begin(l.M, l.K, amax);
    // Rows per chunk: ~16k floats, whole 16-row bands (2-D blocks), at least one band however long K is.
    const int64_t chunk = ceil_div(std::max<int64_t>(1, 16384 / l.K), int64_t{kBlock2dSide}) * kBlock2dSide;
    std::vector<float> rows(static_cast<size_t>(chunk * l.K));
    for (int64_t m0 = 0; m0 < l.M; m0 += chunk) {
      const int64_t n = std::min(chunk, l.M - m0);
      float* w = rows.data();
      detail::for_each_lowered_run(
          l, m0, m0 + n,
          [&](int64_t p, int64_t count) {
            std::memcpy(w, x + p * C, static_cast<size_t>(count * C) * sizeof(float));
            w += count * C;
          },
          [&](int64_t count) {
            std::fill(w, w + count * C, 0.0f);
            w += count * C;
          });
      quantizer->encode_rows(rows.data(), m0, n, amax, q);
    }
    return q;
  }
  QuantizedTensor pixels = quantizer->begin(P, C, amax);
  each_used_range([&](int64_t p, int64_t n) { quantizer->encode_rows(x + p * C, p, n, amax, pixels); });
  map.reset();
  QuantizedTensor zero = quantizer->begin(1, C, amax);
  const std::vector<float> zeros(static_cast<size_t>(C), 0.0f);
  quantizer->encode_rows(zeros.data(), 0, 1, amax, zero);

  QuantizedTensor q = quantizer->begin(l.M, l.K, amax);
  const int64_t taps = c.filter_h * c.filter_w;
  const size_t cb = static_cast<size_t>(pixels.row_stride_bytes());  // code bytes of one pixel
  const size_t sb = blocks ? static_cast<size_t>(pixels.blocks_per_row() * scale_bytes(spec.scheme)) : 0;
  if (l.K != taps * C || q.row_stride_bytes() != taps * pixels.row_stride_bytes() ||
      q.codes.size() != static_cast<size_t>(l.M * taps) * cb ||
      q.scales.size() != static_cast<size_t>(l.M * taps) * sb ||
      pixels.scales.size() != static_cast<size_t>(P) * sb || zero.codes.size() != cb || zero.scales.size() != sb)
    throw Error("internal: quantized lowering of layer '" + l.name + "': the pixel and lowered layouts disagree");
  // begin() zeroed q: a padding pixel whose codes and scales are zero bytes needs no write.
  const bool zero_is_zero = std::all_of(zero.codes.begin(), zero.codes.end(), [](uint8_t b) { return b == 0; }) &&
                            std::all_of(zero.scales.begin(), zero.scales.end(), [](uint8_t b) { return b == 0; });
  uint8_t* dc = q.codes.data();
  uint8_t* ds = q.scales.data();
  detail::for_each_lowered_run(
      l,
      [&](int64_t p, int64_t n) {
        std::memcpy(dc, pixels.codes.data() + static_cast<size_t>(p) * cb, static_cast<size_t>(n) * cb);
        dc += static_cast<size_t>(n) * cb;
        if (sb) std::memcpy(ds, pixels.scales.data() + static_cast<size_t>(p) * sb, static_cast<size_t>(n) * sb);
        ds += static_cast<size_t>(n) * sb;
      },
      [&](int64_t n) {
        for (int64_t i = 0; i < n; ++i, dc += cb, ds += sb) {
          if (zero_is_zero) continue;
          std::memcpy(dc, zero.codes.data(), cb);
          if (sb) std::memcpy(ds, zero.scales.data(), sb);
        }
      });
  if (dc != q.codes.data() + q.codes.size() || ds != q.scales.data() + q.scales.size())
    throw Error("internal: quantized lowering of layer '" + l.name + "' did not fill the lowered tensor");
  return q;
}

}  // namespace

std::optional<QuantizedTensor> quantize_generated_operand(const Layer& l, int64_t index, int op,
                                                          const std::string& default_a, const std::string& default_b,
                                                          uint64_t seed, const QuantSpec& spec) {
  if (op == 0 && l.kind == Layer::Kind::Conv) return quantize_lowered(l, index, default_a, default_b, seed, spec);
  std::optional<GeneratorStream> stream = operand_stream(l, index, op, default_a, default_b, seed);
  if (!stream) return std::nullopt;
  return quantize_stream(*stream, op == 0 ? l.M : l.N, l.K, spec);
}

}  // namespace nvfp4::workload
