// Shared by the GPU test programs: skip (exit 0 with a clear message) when no GPU is present, and a tiny failure
// counter that prints the first differing element with both values.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cuda/gpu.hpp"

namespace nvfp4::gputest {

inline void skip_without_gpu(const char* program) {
  std::string why;
  if (!gpu::device_present(&why)) {
    std::printf("SKIP: %s needs a CUDA GPU (%s); nothing was checked\n", program, why.c_str());
    std::exit(0);
  }
  const gpu::DeviceInfo d = gpu::device_info();
  std::printf("%s on %s (sm_%d%d, driver %d)\n", program, d.name.c_str(), d.cc_major, d.cc_minor, d.driver_version);
}

struct Tally {
  int checks = 0, failures = 0;
  void expect(bool ok, const std::string& what) {
    ++checks;
    if (!ok) {
      ++failures;
      std::printf("FAIL: %s\n", what.c_str());
    }
  }
  int finish(const char* program) const {
    std::printf("%s: %d checks, %d failed -> %s\n", program, checks, failures, failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
  }
};

}  // namespace nvfp4::gputest
