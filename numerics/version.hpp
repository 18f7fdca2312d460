// The project's version string, stamped into every report and file the tools write.
#pragma once
#include <string_view>

namespace nvfp4 {
std::string_view version();
}
