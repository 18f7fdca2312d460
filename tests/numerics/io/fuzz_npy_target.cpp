// libFuzzer target for the .npy parser and the .npz reader (built by scripts/fuzz_npy.sh with clang, ASan and UBSan).
// An input starting with "PK" is read as a .npz, anything else as a .npy. The only acceptable outcomes are a parsed
// array or nvfp4::Error; any other exception escapes and libFuzzer reports it, as it does crashes and sanitizer errors.
#include <cstddef>
#include <cstdint>

#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nvfp4::fuzz::parse_one(data, size);
  return 0;
}
