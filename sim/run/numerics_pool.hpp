// Layers' numerics on a pool of host threads (docs/sim.md, "Threads"): `threads` workers take layer indices in a given
// order and run the work for each; the SystemC thread waits for the layer it is about to time. Every layer's numerics
// depend only on its own seeds, so the results are the same bits whatever the thread count and schedule.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nvfp4::sim {

class NumericsPool {
 public:
  // Starts `threads` workers that run work(i) for every i of `order`, taking them in that order.
  NumericsPool(std::vector<size_t> order, int threads, std::function<void(size_t)> work);
  ~NumericsPool();  // stops handing out indices and joins (a running work item finishes first)
  NumericsPool(const NumericsPool&) = delete;
  NumericsPool& operator=(const NumericsPool&) = delete;

  // Blocks until work(i) has finished; rethrows what it threw.
  void wait(size_t i);

 private:
  void worker();

  std::vector<size_t> order_;
  std::function<void(size_t)> work_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t next_ = 0;
  bool stop_ = false;
  std::vector<char> done_;
  std::vector<std::exception_ptr> error_;
  std::vector<std::thread> threads_;
};

// Largest layers first (estimated host work: MACs plus the generated and quantized elements), so that the last
// layers to finish are small ones and the workers stay busy to the end.
std::vector<size_t> largest_first(const std::vector<int64_t>& M, const std::vector<int64_t>& N,
                                  const std::vector<int64_t>& K);

}  // namespace nvfp4::sim
