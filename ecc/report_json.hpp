// JSON form of an injection (config echo, storage footprint, bank BERs, codeword and per-field counts, analytic rate),
// the object the `nvfp4-inject` report and the simulator's reliability report embed. Keys are documented in
// docs/ecc.md ("Report"). Non-finite numbers are written as null.
#pragma once
#include <string>

#include "ecc/fault_injector.hpp"

namespace nvfp4::ecc {

// One JSON object (no trailing newline); `indent` spaces are put before every line after the first.
std::string injection_json(const QuantizedTensor& q, const InjectionConfig& config, const InjectionReport& report,
                           int indent = 0);

// A JSON number (%.17g, null when not finite) and a JSON string literal with escapes.
std::string json_number(double v);
std::string json_string(std::string_view s);

}  // namespace nvfp4::ecc
