// libFuzzer target of the workload CSV reader (sim/workload: native and SCALE-Sim tables), built by
// scripts/fuzz_inputs.sh.
#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nvfp4::fuzz::parse_workload_one(data, size);
  return 0;
}
