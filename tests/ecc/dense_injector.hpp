// Test oracle: the dense (bit-by-bit) fault injector, for comparison with the sparse ecc::inject_faults.
#pragma once
#include "ecc/fault_injector.hpp"

namespace nvfp4::ecc::test {
InjectionResult dense_inject_faults(const QuantizedTensor& q, const InjectionConfig& config);
}
