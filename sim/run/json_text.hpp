// JSON text pieces of the run's report files (summary.json and its sections): one definition for every writer.
#pragma once
#include <string>

namespace nvfp4::sim {

std::string json_string(const std::string& s);  // quoted, '"' and '\' escaped, control characters dropped
std::string num(double v);                      // 10 significant digits; null when not finite

}  // namespace nvfp4::sim
