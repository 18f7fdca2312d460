#include "numerics/version.hpp"

namespace nvfp4 {
std::string_view version() { return NVFP4_VERSION; }
}  // namespace nvfp4
