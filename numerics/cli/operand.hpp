// A GEMM operand given on the command line: either a quantized-tensor .npz (used as is) or a float .npy (quantized
// with the command's options; the float values are kept for comparisons).
#pragma once
#include <optional>
#include <string>

#include "numerics/cli/float_input.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::cli {

struct Operand {
  QuantizedTensor q;
  std::optional<FloatMatrix> floats;  // present when the operand came from a float .npy
};

// The file's kind is told by its content (zip magic), not its name.
Operand load_operand(const std::string& path, const QuantSpec& spec_for_floats, const std::string& dtype);

}  // namespace nvfp4::cli
