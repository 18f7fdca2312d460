// GPU quantize / dequantize / GEMM against the CPU golden model, bit for bit, over every supported recipe, block
// shape and rounding, awkward shapes (odd columns, partial blocks, M/N/K off the kernel tiles) and adversarial data
// (zero blocks, huge and tiny magnitudes, cancellation). Also: bad input gets nvfp4::Error, not a wrong result.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include "cuda/gpu.hpp"
#include "cuda/gpucheck/compare.hpp"
#include "cuda/gpucheck/workload.hpp"
#include "numerics/workload.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/quantize.hpp"
#include "tests/cuda/gpu_skip.hpp"

using namespace nvfp4;

namespace {

gputest::Tally tally;

// allow_zero: the inputs are all zero, so an all-zero golden output is right (and proves less).
void expect_equal(const gpucheck::CompareResult& c, const std::string& ctx, bool allow_zero = false) {
  tally.expect(c.pass() && (allow_zero || !c.trivially_zero()),
               ctx + " " + c.what + ": " + std::to_string(c.mismatches) + " differ" +
                   (c.first.empty() ? "" : "; first " + c.first) + (c.trivially_zero() ? " (all zero)" : ""));
}

// Data families: normal, with zero blocks, wide dynamic range, and ties on the E2M1 grid after scaling.
std::vector<float> make_data(int family, int64_t rows, int64_t cols, uint64_t seed) {
  std::vector<float> v(static_cast<size_t>(rows * cols));
  workload::generate(workload::Generator{"normal", 0.0, 1.0}, seed, v.data(), v.size());
  for (int64_t i = 0; i < rows * cols; ++i) {
    switch (family) {
      case 1: if ((i / 16) % 5 == 0) v[i] = (i % 3 == 0) ? -0.0f : 0.0f; break;           // zero blocks, -0
      case 2: v[i] = std::ldexp(v[i], static_cast<int>((i * 7919) % 60) - 30); break;     // 2^-30 .. 2^30
      case 3: v[i] = std::round(v[i] * 4.0f) * 0.25f; break;                              // many exact ties
      case 4: v[i] = std::ldexp(v[i], (i / 16) % 2 ? -130 : -118); break;                 // fp32 subnormal blocks
      default: break;
    }
  }
  return v;
}

void check_quantize(const QuantSpec& spec, int64_t rows, int64_t cols, int family, uint64_t seed) {
  const std::string ctx = spec.describe() + " " + std::to_string(rows) + "x" + std::to_string(cols) + " data" +
                          std::to_string(family);
  const std::vector<float> x = make_data(family, rows, cols, seed);
  bool zero = true;
  for (float v : x) zero = zero && v == 0.0f;
  const QuantizedTensor g = gpu::quantize_host(x.data(), rows, cols, spec);
  const QuantizedTensor c = quantize(x.data(), rows, cols, spec);
  if (code_bits(spec.scheme) == 4)
    expect_equal(gpucheck::compare_nibbles("codes", g.codes, c.codes, rows, cols), ctx, zero);
  else
    expect_equal(gpucheck::compare_bytes("codes", g.codes, c.codes, cols), ctx, zero);
  if (!c.scales.empty()) expect_equal(gpucheck::compare_bytes("scales", g.scales, c.scales, 0), ctx, zero);
  uint32_t a, b;
  std::memcpy(&a, &g.tensor_scale, 4);
  std::memcpy(&b, &c.tensor_scale, 4);
  tally.expect(a == b, ctx + " tensor scale: gpu " + std::to_string(g.tensor_scale) + " cpu " +
                           std::to_string(c.tensor_scale));
  expect_equal(gpucheck::compare_floats("dequantized", gpu::dequantize_host(c), dequantize(c), cols), ctx, zero);
}

void check_gemm(const QuantSpec& sa, const QuantSpec& sb, const AccumPolicy& p, int64_t m, int64_t n, int64_t k,
                int family, uint64_t seed) {
  const std::string ctx = sa.describe() + " x " + sb.describe() + " " + p.name() + " " + std::to_string(m) + "x" +
                          std::to_string(n) + "x" + std::to_string(k) + " data" + std::to_string(family);
  const std::vector<float> a = make_data(family, m, k, seed), b = make_data(family, n, k, seed + 1);
  const QuantizedTensor qa = quantize(a.data(), m, k, sa), qb = quantize(b.data(), n, k, sb);
  std::vector<float> golden(static_cast<size_t>(m * n));
  gemm_into(qa, qb, p, golden.data(), 0);
  bool zero_a = true, zero_b = true;
  for (float v : a) zero_a = zero_a && v == 0.0f;
  for (float v : b) zero_b = zero_b && v == 0.0f;
  expect_equal(gpucheck::compare_floats("D", gpu::gemm_host(qa, qb, p), golden, n), ctx, zero_a || zero_b);
}

// must_contain: a part the message must have (e.g. the position of a NaN).
void expect_error(const std::string& what, const std::function<void()>& fn, const std::string& must_contain = "") {
  try {
    fn();
    tally.expect(false, what + ": no nvfp4::Error was thrown");
  } catch (const Error& e) {
    std::printf("  ok, refused: %s\n", e.what());
    tally.expect(std::string(e.what()).find(must_contain) != std::string::npos,
                 what + ": message lacks '" + must_contain + "'");
  }
}

// One pass with the amax given (delayed scaling): the same bits as the golden model when it is the true max |x|.
void check_known_amax(const QuantSpec& spec, int64_t rows, int64_t cols, int family, uint64_t seed) {
  const std::string ctx = "known amax " + spec.describe() + " " + std::to_string(rows) + "x" + std::to_string(cols);
  const std::vector<float> x = make_data(family, rows, cols, seed);
  float amax = 0.0f;
  for (float v : x) amax = std::max(amax, std::fabs(v));
  gpu::DeviceBuffer<float> dx(x.size(), "input");
  dx.upload(x);
  gpu::DeviceQuantized q;
  gpu::quantize_with_amax(dx.get(), rows, cols, spec, amax, q);
  NVFP4_CUDA_CHECK(cudaDeviceSynchronize());
  const QuantizedTensor g = q.download(), c = quantize(x.data(), rows, cols, spec);
  expect_equal(gpucheck::compare_bytes("codes", g.codes, c.codes, 0), ctx);
  if (!c.scales.empty()) expect_equal(gpucheck::compare_bytes("scales", g.scales, c.scales, 0), ctx);
  tally.expect(std::memcmp(&g.tensor_scale, &c.tensor_scale, 4) == 0, ctx + " tensor scale");
}

}  // namespace

int main() {
  try {
    gputest::skip_without_gpu("gpu_kernels_test");

    // ---- quantize + dequantize: every recipe, 1-D and 2-D, rn and sr, shapes on and off the fast path
    const std::vector<std::pair<int64_t, int64_t>> shapes = {{64, 256}, {33, 80}, {17, 47}, {5, 1}, {128, 4096}};
    for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                     Scheme::INT4}) {
      std::vector<Recipe> recipes;
      if (s == Scheme::NVFP4) recipes = {Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass};
      else if (s == Scheme::MXFP4) recipes = {Recipe::Floor, Recipe::RCeil};
      else recipes = {QuantSpec::defaults_for(s).recipe};
      for (Recipe r : recipes)
        for (Rounding rd : {Rounding::RN, Rounding::SR})
          for (bool two_d : {false, true}) {
            if (two_d && s != Scheme::NVFP4) continue;
            if (rd == Rounding::SR && s == Scheme::FP16) continue;  // not defined for fp16 (the spec refuses it)
            QuantSpec spec = QuantSpec::defaults_for(s);
            spec.recipe = r;
            spec.rounding = rd;
            spec.seed = 0xC0FFEEull;
            spec.block_2d = two_d;
            for (auto [rows, cols] : shapes)
              for (int family = 0; family < 4; ++family) check_quantize(spec, rows, cols, family, 11 + family);
          }
    }
    // the older shuffle kernel (forced; the fast one covers B = 16 / 32) must give the same bits too
    setenv("NVFP4_QUANTIZE_KERNEL", "vec", 1);
    for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4})
      for (Rounding rd : {Rounding::RN, Rounding::SR})
        for (auto [rows, cols] : std::vector<std::pair<int64_t, int64_t>>{{64, 256}, {128, 4096}})
          for (int family = 0; family < 4; ++family) {
            QuantSpec spec = QuantSpec::defaults_for(s);
            spec.rounding = rd;
            spec.seed = 0xC0FFEEull;
            check_quantize(spec, rows, cols, family, 41 + family);
          }
    unsetenv("NVFP4_QUANTIZE_KERNEL");
    // fp16 over fp32 patterns of every exponent (subnormal halves, overflow to Inf, exact ties at bit 12): 2^24
    // patterns i << 8 (+1 or +0xFF on some), non-finite ones replaced by 0
    {
      const int64_t rows = 4096, cols = 4096;
      std::vector<float> x(static_cast<size_t>(rows * cols));
      for (int64_t i = 0; i < rows * cols; ++i) {
        uint32_t u = static_cast<uint32_t>(i) << 8 | (i % 3 == 0 ? 0u : i % 3 == 1 ? 1u : 0xFFu);
        if ((u & 0x7F800000u) == 0x7F800000u) u = 0;
        std::memcpy(&x[static_cast<size_t>(i)], &u, 4);
      }
      const QuantSpec f16 = QuantSpec::defaults_for(Scheme::FP16);
      const QuantizedTensor g = gpu::quantize_host(x.data(), rows, cols, f16), c = quantize(x.data(), rows, cols, f16);
      expect_equal(gpucheck::compare_bytes("codes", g.codes, c.codes, 2 * cols), "fp16 pattern sweep");
      expect_equal(gpucheck::compare_floats("dequantized", gpu::dequantize_host(c), dequantize(c), cols),
                   "fp16 pattern sweep");
    }
    // fp32 subnormal inputs (every other block): block and tensor maxima must not be flushed to zero
    for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4Tensor, Scheme::FP16}) {
      std::vector<Recipe> recipes = {QuantSpec::defaults_for(s).recipe};
      if (s == Scheme::NVFP4) recipes = {Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass};
      if (s == Scheme::MXFP4) recipes = {Recipe::Floor, Recipe::RCeil};
      for (Recipe r : recipes) {
        QuantSpec spec = QuantSpec::defaults_for(s);
        spec.recipe = r;
        check_quantize(spec, 64, 256, 4, 81);
        check_known_amax(spec, 64, 256, 4, 81);
      }
    }
    // delayed scaling (one pass, amax given), fast and generic shapes
    for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16})
      for (auto [rows, cols] : std::vector<std::pair<int64_t, int64_t>>{{128, 4096}, {33, 80}})
        for (int family : {0, 2}) check_known_amax(QuantSpec::defaults_for(s), rows, cols, family, 61 + family);
    for (Recipe r : {Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass}) {
      QuantSpec spec = QuantSpec::defaults_for(Scheme::NVFP4);
      spec.recipe = r;
      check_known_amax(spec, 64, 1024, 3, 71);
    }
    // other block sizes (generic and vectorized paths)
    for (int block : {1, 2, 4, 8, 32, 64, 128, 256}) {
      QuantSpec spec = QuantSpec::defaults_for(Scheme::NVFP4);
      spec.block = block;
      for (auto [rows, cols] : std::vector<std::pair<int64_t, int64_t>>{{9, 512}, {7, 301}})
        check_quantize(spec, rows, cols, 0, 5);
    }
    // all-zero tensor (A == 0 paths of every recipe except torchao/modelopt, whose NaN scale sign is host-specific)
    for (Recipe r : {Recipe::TE, Recipe::Cutlass}) {
      QuantSpec spec = QuantSpec::defaults_for(Scheme::NVFP4);
      spec.recipe = r;
      std::vector<float> z(64 * 32, 0.0f);
      const QuantizedTensor g = gpu::quantize_host(z.data(), 64, 32, spec), c = quantize(z.data(), 64, 32, spec);
      tally.expect(g.codes == c.codes && g.scales == c.scales, spec.describe() + " all-zero tensor");
    }

    // ---- GEMM: both policies, NVFP4 (1-D and 2-D weights) and MXFP4, shapes off the 128 x 128 x 64 tiles
    const std::vector<std::array<int64_t, 3>> gshapes = {{128, 128, 64}, {200, 136, 272}, {1, 33, 16},
                                                         {17, 5, 48},    {130, 260, 1000}, {256, 384, 2048}};
    for (const char* pol : {"fp32-seq", "blackwell-mma", "fixed:32:16", "fixed:12:4", "fixed:64:40"}) {
      const AccumPolicy p = AccumPolicy::parse(pol);
      for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4})
        for (bool two_d : {false, true}) {
          if (two_d && s == Scheme::MXFP4) continue;
          QuantSpec sa = QuantSpec::defaults_for(s), sb = sa;
          sb.block_2d = two_d;
          for (const auto& sh : gshapes) {
            if (s == Scheme::MXFP4 && sh[2] % 2) continue;
            for (int family = 0; family < 4; ++family) check_gemm(sa, sb, p, sh[0], sh[1], sh[2], family, 100 + family);
          }
        }
    }
    {  // a larger run (many k-tiles, several CTAs)
      const QuantSpec s = QuantSpec::defaults_for(Scheme::NVFP4);
      check_gemm(s, s, AccumPolicy::parse("fp32-seq"), 512, 512, 8192, 0, 7);
      check_gemm(s, s, AccumPolicy::parse("blackwell-mma"), 256, 256, 4096, 2, 8);
      check_gemm(s, s, AccumPolicy::parse("fixed:48:24"), 256, 384, 4096, 0, 9);
    }
    {  // blackwell-mma results that underflow fp32: +0 as the golden model, never -0. MXFP4 rows of magnitude ~2^-76
       // (scales ~2^-77) against the same: group terms ~2^-154, below the fp32 subnormals but above MMA-Sim's
       // alignment floor (Emax >= -126, 35 fraction bits: 2^-161), so the chunk sum is nonzero and its RZ to fp32 is
       // zero, half of them negative; the other rows are ordinary data so D is not all zero.
      const QuantSpec mx = QuantSpec::defaults_for(Scheme::MXFP4);
      const int64_t m = 32, n = 24, k = 256;
      std::vector<float> a = make_data(0, m, k, 41), b = make_data(0, n, k, 42);
      for (int64_t i = 0; i < 16 * k; ++i) a[i] = std::ldexp(a[i], -76);
      for (float& v : b) v = std::ldexp(v, -76);
      std::vector<float> ordinary = make_data(0, n, k, 43);
      const QuantizedTensor qa = quantize(a.data(), m, k, mx), qb = quantize(b.data(), n, k, mx);
      const QuantizedTensor qb_ord = quantize(ordinary.data(), n, k, mx);
      for (const char* pol : {"blackwell-mma", "fp32-seq"}) {
        const AccumPolicy p = AccumPolicy::parse(pol);
        std::vector<float> golden(static_cast<size_t>(m * n)), golden_ord(golden.size());
        gemm_into(qa, qb, p, golden.data(), 0);
        gemm_into(qa, qb_ord, p, golden_ord.data(), 0);
        expect_equal(gpucheck::compare_floats("D", gpu::gemm_host(qa, qb, p), golden, n),
                     std::string("mxfp4 underflowing terms ") + pol);
        expect_equal(gpucheck::compare_floats("D", gpu::gemm_host(qa, qb_ord, p), golden_ord, n),
                     std::string("mxfp4 tiny x ordinary ") + pol, false);
      }
    }

    // ---- general exact path (cuda/gemm_generic.cu): every other pair the golden GEMM accepts. Family 2 drives fp16
    // weights past 65504 (Inf elements) and int4's fp16 scales to Inf: the special terms.
    {
      auto spec = [](Scheme s, int block, bool two_d = false) {
        QuantSpec q = QuantSpec::defaults_for(s);
        if (has_block_scale(s)) q.block = block;
        q.block_2d = two_d;
        return q;
      };
      std::vector<std::pair<QuantSpec, QuantSpec>> pairs;
      for (Scheme a : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor})
        for (Scheme b : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                         Scheme::INT4}) {
          if (a == b && (a == Scheme::NVFP4 || a == Scheme::MXFP4)) continue;  // tensor-core kernels (above)
          const int block = a == Scheme::MXFP4 && b != Scheme::NVFP4 ? 32 : 16;
          pairs.emplace_back(spec(a, block), spec(b, block));
        }
      pairs.emplace_back(spec(Scheme::NVFP4, 8), spec(Scheme::NVFP4, 8));          // chunk < 16: groups of 8
      pairs.emplace_back(spec(Scheme::NVFP4, 64), spec(Scheme::NVFP4, 64));        // chunk > 16
      pairs.emplace_back(spec(Scheme::MXFP4, 16), spec(Scheme::MXFP4, 16, true));  // mxfp4 2-D weights
      pairs.emplace_back(spec(Scheme::NVFP4, 16), spec(Scheme::INT4, 16, true));   // int4 2-D weights
      pairs.emplace_back(spec(Scheme::NVFP4, 128), spec(Scheme::FP8, 0));          // long chunks, fp8
      pairs.emplace_back(spec(Scheme::FP4, 0), spec(Scheme::INT4, 32));            // chunk from B
      const std::vector<std::array<int64_t, 3>> shapes = {{1, 33, 16}, {17, 5, 48}, {65, 70, 37}, {130, 260, 1000}};
      for (const auto& [qa, qb] : pairs)
        for (const char* pol : {"fp32-seq", "blackwell-mma", "fixed:32:16", "fixed:12:4"}) {
          const AccumPolicy p = AccumPolicy::parse(pol);
          if (p.kind == AccumPolicy::Kind::BlackwellMma && code_bits(qb.scheme) != 4) continue;
          if (p.kind == AccumPolicy::Kind::BlackwellMma && qb.scheme == Scheme::INT4) continue;
          for (const auto& sh : shapes)
            for (int family = 0; family < 4; ++family) check_gemm(qa, qb, p, sh[0], sh[1], sh[2], family, 500 + family);
        }
      // NaN block scales from quantized data: torchao's scale of an all-zero tensor, times fp8 / int4 weights
      QuantSpec torchao = spec(Scheme::NVFP4, 16);
      torchao.recipe = Recipe::TorchAO;
      const std::vector<float> zeros(9 * 64, 0.0f), w = make_data(0, 7, 64, 3);
      for (Scheme b : {Scheme::FP8, Scheme::INT4, Scheme::FP4})
        for (const char* pol : {"fp32-seq", "fixed:32:16", "blackwell-mma"}) {
          if (b != Scheme::FP4 && std::string(pol) == "blackwell-mma") continue;
          const QuantizedTensor qa = quantize(zeros.data(), 9, 64, torchao), qb = quantize(w.data(), 7, 64, spec(b, 16));
          const AccumPolicy p = AccumPolicy::parse(pol);
          const std::vector<float> golden = gemm(qa, qb, p);
          tally.expect(std::isnan(golden[0]), std::string("torchao zero tensor gives NaN terms (") + pol + ")");
          expect_equal(gpucheck::compare_floats("D", gpu::gemm_host(qa, qb, p), golden, 7),
                       "NaN scales x " + std::string(to_string(b)) + " " + pol, true);
        }
      tally.expect(gpu::last_gemm_kernel().rfind("generic", 0) == 0, "generic kernel reported: " + gpu::last_gemm_kernel());
    }

    // every tuning variant of the fp32-seq kernel (NVFP4_GEMM_VARIANT) gives the same bits
    for (const char* variant : {"0", "1", "2", "3", "4", "5", "6"}) {
      setenv("NVFP4_GEMM_VARIANT", variant, 1);
      const QuantSpec s = QuantSpec::defaults_for(Scheme::NVFP4);
      QuantSpec w = s;
      w.block_2d = true;
      for (const auto& sh : gshapes) check_gemm(s, w, AccumPolicy::parse("fp32-seq"), sh[0], sh[1], sh[2], 2, 300);
      check_gemm(s, s, AccumPolicy::parse("fp32-seq"), 384, 256, 4096, 0, 301);
      unsetenv("NVFP4_GEMM_VARIANT");
    }

    // ---- bad input
    const QuantSpec nv = QuantSpec::defaults_for(Scheme::NVFP4);
    std::vector<float> x(16 * 32, 1.0f);
    x[5 * 32 + 7] = std::nanf("");
    expect_error("NaN input", [&] { (void)gpu::quantize_host(x.data(), 16, 32, nv); }, "[5][7]");
    std::vector<float> inf(7 * 3, 1.0f);  // 21 elements: the scalar amax kernel
    inf[4 * 3 + 2] = -INFINITY;
    expect_error("Inf input, odd shape", [&] { (void)gpu::quantize_host(inf.data(), 7, 3, nv); }, "[4][2]");
    const std::vector<float> y(16 * 48, 0.5f), w(8 * 32, 0.5f);
    const QuantizedTensor qa = quantize(y.data(), 16, 48, nv), qb = quantize(w.data(), 8, 32, nv);
    expect_error("mismatched K", [&] { (void)gpu::gemm_host(qa, qb, AccumPolicy::parse("fp32-seq")); });
    expect_error("fp16 with sr", [&] {
      QuantSpec f16 = QuantSpec::defaults_for(Scheme::FP16);
      f16.rounding = Rounding::SR;
      (void)gpu::quantize_host(y.data(), 16, 48, f16);
    });
    expect_error("fp16 NaN input", [&] { (void)gpu::quantize_host(x.data(), 16, 32, QuantSpec::defaults_for(Scheme::FP16)); },
                 "[5][7]");
    expect_error("follow_hardware_on_nonfinite", [&] {
      QuantSpec follow = nv;
      follow.follow_hardware_on_nonfinite = true;
      (void)gpu::quantize_host(x.data(), 16, 32, follow);
    });
    const QuantSpec f8 = QuantSpec::defaults_for(Scheme::FP8);
    expect_error("fp8 activations", [&] {
      (void)gpu::gemm_host(quantize(y.data(), 16, 48, f8), quantize(y.data(), 16, 48, f8), AccumPolicy::parse("fp32-seq"));
    }, "A (activations) must be nvfp4, mxfp4, fp4 or fp4-tensor");
    expect_error("blackwell-mma with fp8 weights", [&] {
      (void)gpu::gemm_host(qa, quantize(y.data(), 16, 48, f8), AccumPolicy::parse("blackwell-mma"));
    }, "models FP4 x FP4");
    expect_error("nvfp4 B16 x int4 B32", [&] {
      (void)gpu::gemm_host(qa, quantize(y.data(), 16, 48, QuantSpec::defaults_for(Scheme::INT4)), AccumPolicy{});
    }, "block sizes differ");
    QuantizedTensor broken = qa;
    broken.codes.pop_back();
    expect_error("truncated codes", [&] { (void)gpu::gemm_host(broken, qa, AccumPolicy::parse("fp32-seq")); });
    expect_error("out of memory", [&] { gpu::DeviceBuffer<uint8_t> huge(size_t{1} << 50, "a 1 PiB buffer"); });

    return tally.finish("gpu_kernels_test");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
