// n clock periods as SystemC time, in integer arithmetic. The same value as sc_time's `clock * double(n)` (which
// computes trunc(v * n + 0.5) in doubles, exact while v * n < 2^52), without the two conversions and the volatile
// store; the fold loop does this ~10^6 times per ResNet-18 run. Larger or negative products take sc_time's operator.
#pragma once
#include <systemc>

#include <cstdint>

namespace nvfp4::sim {

inline sc_core::sc_time cycles_time(const sc_core::sc_time& clock, int64_t n) {
  constexpr uint64_t kExact = uint64_t{1} << 26;  // both below 2^26: v * n < 2^52, no division needed to know it
  const uint64_t v = clock.value();
  if (n < 0 || v >= kExact || static_cast<uint64_t>(n) >= kExact) return clock * static_cast<double>(n);
  return sc_core::sc_time::from_value(v * static_cast<uint64_t>(n));
}

// cycles_time with the last count remembered: a layer's folds repeat the same few cycle counts, and building an
// sc_time (sc_time::from_value, out of line in the SystemC library) was a tenth of the fold loop.
class CycleTimeMemo {
 public:
  explicit CycleTimeMemo(const sc_core::sc_time& clock) : clock_(clock) {}
  const sc_core::sc_time& operator()(int64_t n) {
    if (n != n_ || !known_) {
      t_ = cycles_time(clock_, n);
      n_ = n;
      known_ = true;
    }
    return t_;
  }

 private:
  sc_core::sc_time clock_;
  int64_t n_ = 0;
  bool known_ = false;
  sc_core::sc_time t_;
};

}  // namespace nvfp4::sim
