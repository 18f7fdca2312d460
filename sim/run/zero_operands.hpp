// The exact count of zero-operand products of a layer (the lane multiplier's clock-gating opportunity, priced by the
// technology table's zero-fraction fit: docs/energy.md, "Operand statistics").
#pragma once
#include <cstdint>
#include <vector>

#include "numerics/quantized_tensor.hpp"

namespace nvfp4::sim {

// Per reduction index k, how many rows of t have an element code whose value is 0 (QuantizedTensor::value: the
// element code alone, block and tensor scales aside). 4- and 8-bit codes go through a table of value() over every
// code, so the decoder stays the one owner of what a zero is; fp16 codes go through value() element by element.
std::vector<uint64_t> zero_codes_per_column(const QuantizedTensor& t);

// Products (m, n, k) of D = A B^T with a zero operand: sum_k zA_k N + zB_k M - zA_k zB_k.
uint64_t zero_operand_products(const QuantizedTensor& a, const QuantizedTensor& b);

}  // namespace nvfp4::sim
