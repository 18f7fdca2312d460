// The fast E2M1 driver gives the general path's bits with every kernel this CPU can run (the portable scalar kernel
// always), on shapes that cross its panel edges (K > 512, N > 256, ragged M/N/K); threads never change the bits.
#include <catch2/catch.hpp>
#include <random>

#include "exact_reference.hpp"
#include "numerics/gemm.hpp"
#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/gemm/gemm_generic.hpp"
#include "numerics/gemm/operands.hpp"
#include "numerics/quantize.hpp"
#include "tensor_builder.hpp"

using namespace nvfp4;
using namespace nvfp4::test;
using namespace nvfp4::gemm_detail;

namespace {

void check_kernels(const QuantizedTensor& a, const QuantizedTensor& b, const std::string& what) {
  const AccumPolicy policy;  // fp32-seq
  const GemmPlan plan = plan_gemm(a, b, policy);
  REQUIRE(fp4_fast_path_applies(a, b, plan, policy));
  std::vector<float> general(static_cast<size_t>(plan.m * plan.n));
  gemm_generic(a, b, plan, policy, general.data(), 0, plan.n);
  CHECK(nonzero_share(general) > 0.5);
  for (const Fp4Kernel k : available_fp4_kernels()) {
    std::vector<float> fast(general.size(), -1.0f);
    fp4_gemm(a, b, plan, policy, fast.data(), 0, plan.n, k);
    require_same_bits(fast, general, plan.n, what + " / kernel " + std::string(kernel_name(k)));
  }
}

}  // namespace

TEST_CASE("every available kernel equals the general path", "[gemm][kernels]") {
  std::string names;
  for (const Fp4Kernel k : available_fp4_kernels()) names += std::string(kernel_name(k)) + " ";
  WARN("kernels checked on this CPU: " << names);
  std::mt19937_64 rng(11);
  struct Case { Scheme sa, sb; int block; int64_t m, n, k; bool b2d; };
  for (const Case c : {Case{Scheme::NVFP4, Scheme::NVFP4, 16, 9, 37, 1100, false},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 6, 300, 80, false},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 5, 33, 75, true},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 64, 4, 20, 530, false},
                       Case{Scheme::MXFP4, Scheme::MXFP4, 32, 7, 19, 200, false},
                       Case{Scheme::NVFP4, Scheme::FP4Tensor, 16, 3, 17, 33, false},
                       Case{Scheme::FP4, Scheme::FP4, 16, 2, 16, 19, false},
                       // the AVX2 kernel's 3-row tiles with 2 and 1 rows left over, a masked column tile, 3 K panels
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 8, 40, 1100, false},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 32, 10, 24, 1100, false},
                       // K shorter than one group (a 3x3 single-channel convolution): scratch sized by this K
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 1001, 16, 9, false}}) {
    QuantizedTensor a = make_tensor(c.sa, c.m, c.k, c.block), b = make_tensor(c.sb, c.n, c.k, c.block, c.b2d);
    random_codes(a, rng);
    random_codes(b, rng);
    const bool mx = c.sa == Scheme::MXFP4;
    random_scales(a, rng, mx ? 100 : 0x00, mx ? 150 : 0x7E);
    random_scales(b, rng, mx ? 100 : 0x00, mx ? 150 : 0x7E);
    a.tensor_scale = 0.37f;
    check_kernels(a, b, std::to_string(c.m) + "x" + std::to_string(c.n) + "x" + std::to_string(c.k));
  }
}

TEST_CASE("the AVX-512 blackwell-mma kernel equals the general path", "[gemm][kernels]") {
  if (!blackwell_simd_supported()) {
    WARN("no AVX-512 F/BW/DQ/VNNI on this CPU: blackwell-mma runs on the integer driver only (tested below)");
    return;
  }
  std::mt19937_64 rng(16);
  struct Case { Scheme sa, sb; int block; int64_t m, n, k; bool b2d; uint32_t lo, hi; };
  for (const Case c : {Case{Scheme::NVFP4, Scheme::NVFP4, 16, 5, 37, 1100, false, 0x00, 0x7E},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 3, 20, 300, false, 0x01, 0x10},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 4, 33, 75, true, 0x00, 0x7E},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 32, 3, 17, 200, false, 0x28, 0x50},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 256, 2, 16, 530, false, 0x00, 0x7E},
                       Case{Scheme::FP4Tensor, Scheme::NVFP4, 16, 3, 18, 70, false, 0x00, 0x7E},
                       Case{Scheme::FP4, Scheme::FP4, 16, 2, 16, 129, false, 0, 0},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 70, 20, 130, false, 0x20, 0x60}}) {
    QuantizedTensor a = make_tensor(c.sa, c.m, c.k, c.block), b = make_tensor(c.sb, c.n, c.k, c.block, c.b2d);
    random_codes(a, rng);
    random_codes(b, rng);
    random_scales(a, rng, c.lo, c.hi);
    random_scales(b, rng, c.lo, c.hi);
    if (c.lo == 0x01) {  // truncation stress: every 8th block a zero-sum block with the largest scales
      for (int64_t kb = 4; kb < b.blocks_per_row(); kb += 8) {
        for (int64_t r = 0; r < c.m; ++r) {
          set_scale(a, r * a.blocks_per_row() + kb, 0x7E);
          for (int64_t e = 0; e < 16; ++e) a.set_code(r, kb * 16 + e, 0);
        }
        for (int64_t r = 0; r < c.n; ++r) set_scale(b, r * b.blocks_per_row() + kb, 0x7E);
      }
    }
    a.tensor_scale = 1.5f;
    const AccumPolicy policy = AccumPolicy::parse("blackwell-mma");
    const GemmPlan plan = plan_gemm(a, b, policy);
    REQUIRE(fp4_fast_path_applies(a, b, plan, policy));
    std::vector<float> general(static_cast<size_t>(plan.m * plan.n)), fast(general.size(), -1.0f);
    gemm_generic(a, b, plan, policy, general.data(), 0, plan.n);
    fp4_gemm(a, b, plan, policy, fast.data(), 0, plan.n, Fp4Kernel::Avx512Vnni);
    require_same_bits(fast, general, plan.n,
                      "blackwell-mma avx512 " + std::to_string(c.m) + "x" + std::to_string(c.n) + "x" +
                          std::to_string(c.k) + " B" + std::to_string(c.block));
    CHECK(nonzero_share(general) > 0.5);
  }
  // A NaN scale code keeps blackwell-mma off the SIMD kernel (the integer driver handles it).
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 2, 32), b = make_tensor(Scheme::NVFP4, 2, 32);
  set_scale(b, 1, 0x7F);
  CHECK_FALSE(fp4_fast_path_applies(a, b, plan_gemm(a, b, AccumPolicy::parse("blackwell-mma")),
                                    AccumPolicy::parse("blackwell-mma")));
}

TEST_CASE("the AVX-512 fixed:W:F kernel equals the general path", "[gemm][kernels]") {
  if (!blackwell_simd_supported()) {
    WARN("no AVX-512 F/BW/DQ/VNNI on this CPU: fixed:W:F runs on the integer driver only (tested below)");
    return;
  }
  std::mt19937_64 rng(17);
  struct Case { Scheme sa, sb; int block; int64_t m, n, k; bool b2d; uint32_t lo, hi; };
  for (const Case c : {Case{Scheme::NVFP4, Scheme::NVFP4, 16, 5, 300, 1100, false, 0x00, 0x7E},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 4, 33, 75, true, 0x00, 0x7E},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 256, 2, 17, 530, false, 0x30, 0x7E},
                       Case{Scheme::MXFP4, Scheme::MXFP4, 32, 3, 20, 100, false, 70, 180},
                       Case{Scheme::FP4, Scheme::NVFP4, 16, 3, 18, 70, false, 0x00, 0x7E},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 70, 20, 130, false, 0x20, 0x60}}) {
    QuantizedTensor a = make_tensor(c.sa, c.m, c.k, c.block), b = make_tensor(c.sb, c.n, c.k, c.block, c.b2d);
    random_codes(a, rng);
    random_codes(b, rng);
    random_scales(a, rng, c.lo, c.hi);
    random_scales(b, rng, c.lo, c.hi);
    a.tensor_scale = 0.75f;
    for (const char* name : {"fixed:32:16", "fixed:62:61", "fixed:62:0", "fixed:8:0", "fixed:24:2", "fixed:16:15"}) {
      const AccumPolicy policy = AccumPolicy::parse(name);
      const GemmPlan plan = plan_gemm(a, b, policy);
      REQUIRE(fp4_fast_path_applies(a, b, plan, policy));
      std::vector<float> general(static_cast<size_t>(plan.m * plan.n)), fast(general.size(), -1.0f);
      gemm_generic(a, b, plan, policy, general.data(), 0, plan.n);
      fp4_gemm(a, b, plan, policy, fast.data(), 0, plan.n, Fp4Kernel::Avx512Vnni);
      require_same_bits(fast, general, plan.n,
                        std::string(name) + " avx512 " + std::to_string(c.m) + "x" + std::to_string(c.n) + "x" +
                            std::to_string(c.k) + " B" + std::to_string(c.block));
      CHECK(nonzero_share(general) > 0.3);
    }
  }
  // W > 62 stays on the integer driver (128-bit registers there).
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 2, 32), b = make_tensor(Scheme::NVFP4, 2, 32);
  const AccumPolicy wide = AccumPolicy::parse("fixed:64:32");
  CHECK_FALSE(fp4_fast_path_applies(a, b, plan_gemm(a, b, wide), wide));
}

TEST_CASE("the integer policy driver equals the general path", "[gemm][kernels]") {
  std::mt19937_64 rng(14);
  struct Case { Scheme sa, sb; int block; int64_t m, n, k; bool b2d; };
  for (const Case c : {Case{Scheme::NVFP4, Scheme::NVFP4, 16, 5, 70, 333, false},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 16, 4, 18, 75, true},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 4, 3, 9, 150, false},
                       Case{Scheme::NVFP4, Scheme::NVFP4, 128, 3, 9, 300, false},
                       Case{Scheme::MXFP4, Scheme::MXFP4, 32, 4, 11, 200, false},
                       Case{Scheme::FP4Tensor, Scheme::NVFP4, 16, 3, 7, 40, false}}) {
    QuantizedTensor a = make_tensor(c.sa, c.m, c.k, c.block), b = make_tensor(c.sb, c.n, c.k, c.block, c.b2d);
    random_codes(a, rng);
    random_codes(b, rng);
    const bool mx = c.sa == Scheme::MXFP4;
    random_scales(a, rng, mx ? 70 : 0x00, mx ? 180 : 0x7E);
    random_scales(b, rng, mx ? 70 : 0x00, mx ? 180 : 0x7E);
    for (const char* name : {"blackwell-mma", "fixed:32:16", "fixed:64:50", "fixed:12:2"}) {
      const AccumPolicy policy = AccumPolicy::parse(name);
      const GemmPlan plan = plan_gemm(a, b, policy);
      REQUIRE(fp4_policy_path_applies(a, b, plan, policy));
      std::vector<float> general(static_cast<size_t>(plan.m * plan.n)), fast(general.size(), -1.0f);
      gemm_generic(a, b, plan, policy, general.data(), 0, plan.n);
      fp4_policy_gemm(a, b, plan, policy, fast.data(), 0, plan.n);
      require_same_bits(fast, general, plan.n, std::string(name) + " block " + std::to_string(c.block));
      CHECK(nonzero_share(general) > 0.3);
    }
  }
}

TEST_CASE("threads split the columns without changing a bit", "[gemm][kernels]") {
  std::mt19937_64 rng(12);
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 10, 200), b = make_tensor(Scheme::NVFP4, 200, 200);
  random_codes(a, rng);
  random_codes(b, rng);
  random_scales(a, rng, 0x20, 0x60);
  random_scales(b, rng, 0x20, 0x60);
  for (const char* name : {"fp32-seq", "blackwell-mma", "fixed:24:12"}) {
    const AccumPolicy p = AccumPolicy::parse(name);
    std::vector<float> one(10 * 200), three(10 * 200), all(10 * 200);
    gemm_into(a, b, p, one.data(), 1);
    gemm_into(a, b, p, three.data(), 3);
    gemm_into(a, b, p, all.data(), 0);
    require_same_bits(three, one, 200, std::string(name) + " 3 threads");
    require_same_bits(all, one, 200, std::string(name) + " all threads");
    CHECK(nonzero_share(one) > 0.5);
  }
}

TEST_CASE("tensors from the real quantizer: fast path equals the exact reference", "[gemm][kernels]") {
  std::mt19937_64 rng(13);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int64_t m = 3, n = 20, k = 100;
  std::vector<float> x(m * k), w(n * k);
  for (float& v : x) v = normal(rng);
  for (float& v : w) v = normal(rng) * 0.02f;
  QuantSpec wspec = QuantSpec::defaults_for(Scheme::NVFP4);
  wspec.block_2d = true;
  const QuantizedTensor a = quantize(x.data(), m, k, QuantSpec::defaults_for(Scheme::NVFP4));
  const QuantizedTensor b = quantize(w.data(), n, k, wspec);
  for (const char* name : {"fp32-seq", "blackwell-mma", "fixed:32:24"}) {
    const AccumPolicy p = AccumPolicy::parse(name);
    const std::vector<float> got = gemm(a, b, p);
    require_same_bits(got, reference_gemm(a, b, p), n, name);
    CHECK(nonzero_share(got) > 0.9);
  }
}
