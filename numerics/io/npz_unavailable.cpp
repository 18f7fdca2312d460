// .npz entry points of a build without libzip (e.g. the GPU machine, configured with NVFP4_NUMERICS_ONLY and no
// libzip-dev): .npy keeps working; every .npz call says what is missing instead of failing to configure.
#include <string>

#include "numerics/error.hpp"
#include "numerics/io/npz_memory.hpp"
#include "numerics/npy.hpp"

namespace nvfp4 {
namespace {
[[noreturn]] void no_libzip(const std::string& what) {
  throw Error(what + ": this build has no .npz support (libzip was not found at configure time: "
              "apt-get install libzip-dev and reconfigure)");
}
}  // namespace

namespace npz_detail {
std::map<std::string, NpyArray> parse_npz(const uint8_t*, size_t, const std::string& name) { no_libzip(name); }
}  // namespace npz_detail

std::map<std::string, NpyArray> read_npz(const std::string& path) { no_libzip(path); }
void write_npz(const std::string& path, const std::map<std::string, NpyArray>&) { no_libzip(path); }
bool npz_supported() { return false; }

}  // namespace nvfp4
