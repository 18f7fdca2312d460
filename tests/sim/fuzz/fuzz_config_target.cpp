// libFuzzer target of the simulator's YAML configuration reader (sim/config), built by scripts/fuzz_inputs.sh.
#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nvfp4::fuzz::parse_config_one(data, size);
  return 0;
}
