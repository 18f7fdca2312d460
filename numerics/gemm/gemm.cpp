// nvfp4::gemm / gemm_into: checks the operands, picks the fast E2M1 drivers when they give the same bits as the general
// path (always, when they apply), and splits the columns of D over threads (the bits never depend on threads).
#include "numerics/gemm.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "numerics/ceil_div.hpp"
#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/gemm/gemm_generic.hpp"
#include "numerics/gemm/operands.hpp"

namespace nvfp4 {

void gemm_into(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy, float* d,
               int threads) {
  const gemm_detail::GemmPlan plan = gemm_detail::plan_gemm(a, b, policy);
  if (plan.m == 0 || plan.n == 0) return;
  const bool fast = gemm_detail::fp4_fast_path_applies(a, b, plan, policy);
  const bool integer_policy = gemm_detail::fp4_policy_path_applies(a, b, plan, policy);
  auto run = [&](int64_t n0, int64_t n1) {
    if (fast) {
      gemm_detail::fp4_gemm(a, b, plan, policy, d, n0, n1, gemm_detail::best_fp4_kernel());
    } else if (integer_policy) {
      gemm_detail::fp4_policy_gemm(a, b, plan, policy, d, n0, n1);
    } else {
      gemm_detail::gemm_generic(a, b, plan, policy, d, n0, n1);
    }
  };
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Columns are handed out in slices of 64 so each thread packs whole B panels of its own.
  constexpr int64_t kSlice = 64;
  const int64_t slices = ceil_div(plan.n, int64_t{kSlice});
  threads = static_cast<int>(std::min<int64_t>(threads, slices));
  if (threads <= 1) {
    run(0, plan.n);
    return;
  }
  std::vector<std::jthread> pool;
  std::vector<std::exception_ptr> errors(threads);
  for (int t = 0; t < threads; ++t) {
    const int64_t s0 = slices * t / threads, s1 = slices * (t + 1) / threads;
    pool.emplace_back([&, t, s0, s1] {
      try {
        run(s0 * kSlice, std::min(plan.n, s1 * kSlice));
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  pool.clear();  // joins
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

std::vector<float> gemm(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy) {
  const gemm_detail::GemmPlan plan = gemm_detail::plan_gemm(a, b, policy);
  std::vector<float> d(static_cast<size_t>(plan.m * plan.n));
  gemm_into(a, b, policy, d.data(), 1);
  return d;
}

}  // namespace nvfp4
