// Test-only fault in the datapath model, so cross-checks can prove they catch a wrong datapath (scripts/crosscheck,
// tests/scripts/test_crosscheck.py). NVFP4_TEST_MUTATE_LUT="A,W" (two codes, decimal or 0x hex) makes every engine's
// lane multiplier return the product of activation code A and weight code W one LSB too large: a wrong LUT entry.
// Unset (always, outside those tests) it changes nothing.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "lut/multiplier.hpp"

namespace nvfp4::lut {

// `mul` itself, or `mul` behind the mutation when the variable is set (nvfp4::Error when it is malformed).
std::unique_ptr<LaneMultiplier> apply_test_mutation(std::unique_ptr<LaneMultiplier> mul);

// The codes (activation, weight) named by a test-mutation variable "A,W" (NVFP4_TEST_MUTATE_LUT here,
// NVFP4_TEST_MUTATE_RTL in rtl_models/driver), nullopt when it is unset; nvfp4::Error when it is malformed.
std::optional<std::pair<unsigned, unsigned>> test_mutation_codes(const char* variable);

}  // namespace nvfp4::lut
