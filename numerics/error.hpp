// The one exception type of the project: every bad input (file, option, shape, configuration) throws it with a
// message that names the problem; command-line tools catch it, print it and exit non-zero.
#pragma once
#include <stdexcept>
#include <string>

namespace nvfp4 {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace nvfp4
