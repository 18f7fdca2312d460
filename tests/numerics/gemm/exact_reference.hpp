// A slow, obviously-correct golden GEMM for the tests: every value is an exact rational (Boost.Multiprecision), every
// rounding is written out from its definition, and the spec's formulas are followed literally, one output at a time.
// It shares no arithmetic code with numerics/gemm/ (only the QuantizedTensor accessors, to read the operands).
#pragma once
#include <vector>

#include "numerics/gemm.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::test {

std::vector<float> reference_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy);

// The two roundings of the reference's exact rational -> fp32 conversion.
enum class RefRound { NearestEven, TowardZero };

}  // namespace nvfp4::test
