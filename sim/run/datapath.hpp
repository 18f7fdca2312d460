// --datapath: which model computes the layers' outputs (docs/sim.md, "Datapath in the loop").
//   golden  nvfp4::gemm_into (the numerics core's fast kernels; the default)
//   engine  lut::DotEngine, the bit-level datapath the array is made of (sign XOR, exponent add, mantissa LUT, exact
//           adder tree, scale unit, accumulator policy), for every dot product of every fold; the golden GEMM is
//           computed too and every output bit compared (a mismatch is reported per layer, the first one named)
//   rtl     the golden GEMM computes the outputs; the Verilated RTL dot engines are driven with the folds of the
//           selected layers on the controller's schedule and every RTL output compared with it (sim/rtl/, only in
//           builds with Verilator)
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "numerics/quantized_tensor.hpp"
#include "sim/config/sim_config.hpp"

namespace nvfp4::sim {

enum class Datapath { Golden, Engine, Rtl };
Datapath parse_datapath(const std::string& name);  // throws nvfp4::Error listing the choices
const char* datapath_name(Datapath d);

struct DatapathCheck {
  bool done = false;          // false for the golden datapath (nothing to compare)
  int64_t outputs = 0;        // outputs compared, raw bits
  int64_t mismatches = 0;
  int64_t nonzero = 0;        // golden outputs whose bits are not all zero (all-zero proves nothing)
  std::string first;          // "[m][n]: engine 0x.. (v) golden 0x.. (v)"
  bool pass() const { return done && mismatches == 0 && nonzero > 0; }
};

// D = A x B^T by lut::DotEngine configured as the array's engines (lanes, multiplier style, weight format,
// accumulator), rows split over `threads` engines.
// `table`: the lanes' product table as read back from its storage (sim/faults/lut_faults.hpp); null: the committed one.
std::vector<float> engine_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const ArraySpec& array, int threads,
                               std::shared_ptr<const std::vector<int64_t>> table = nullptr);
DatapathCheck compare_datapath(const std::vector<float>& engine, const std::vector<float>& golden, int64_t cols);

}  // namespace nvfp4::sim
