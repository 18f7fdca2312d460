#include "sim/run/numerics_pool.hpp"

#include <algorithm>
#include <numeric>

namespace nvfp4::sim {

NumericsPool::NumericsPool(std::vector<size_t> order, int threads, std::function<void(size_t)> work)
    : order_(std::move(order)), work_(std::move(work)) {
  size_t n = 0;
  for (size_t i : order_) n = std::max(n, i + 1);
  done_.assign(n, 0);
  error_.assign(n, nullptr);
  for (int t = 0; t < threads; ++t) threads_.emplace_back([this] { worker(); });
}

NumericsPool::~NumericsPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  for (auto& t : threads_) t.join();
}

void NumericsPool::worker() {
  for (;;) {
    size_t i;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_ || next_ == order_.size()) return;
      i = order_[next_++];
    }
    std::exception_ptr err;
    try {
      work_(i);
    } catch (...) {
      err = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_[i] = 1;
      error_[i] = err;
    }
    cv_.notify_all();
  }
}

void NumericsPool::wait(size_t i) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return done_[i] != 0; });
  if (error_[i]) std::rethrow_exception(error_[i]);
}

std::vector<size_t> largest_first(const std::vector<int64_t>& M, const std::vector<int64_t>& N,
                                  const std::vector<int64_t>& K) {
  std::vector<size_t> order(M.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto cost = [&](size_t i) {
    return static_cast<double>(M[i]) * N[i] * K[i] + 64.0 * (static_cast<double>(M[i]) * K[i] + N[i] * K[i]);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost(a) > cost(b); });
  return order;
}

}  // namespace nvfp4::sim
