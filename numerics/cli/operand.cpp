#include "numerics/cli/operand.hpp"

#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"

namespace nvfp4::cli {

Operand load_operand(const std::string& path, const QuantSpec& spec, const std::string& dtype) {
  Operand op;
  if (looks_like_npz(path)) {
    op.q = load_quantized(path);
    return op;
  }
  op.floats = load_float_matrix(path, dtype);
  if (!spec.follow_hardware_on_nonfinite) refuse_nonfinite(*op.floats);
  op.q = quantize(op.floats->values.data(), op.floats->rows, op.floats->cols, spec);
  return op;
}

}  // namespace nvfp4::cli
