// Driving the Verilated RTL dot engines (rtl_models/rtl/dot_engine.sv in the configurations of
// tb/tb_engines_top.sv) with dot products of quantized operands: the one owner of that code, used by
// nvfp4-rtl-replay (a replay set, one engine, dot products back to back) and by nvfp4sim --datapath rtl (the
// simulator's folds, one engine instance per array position, docs/sim.md "Datapath in the loop").
// The Verilated model stays behind this interface: callers need no Verilator headers.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "numerics/gemm.hpp"  // AccumPolicy
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::rtl {

constexpr int kLanes = 16;  // every wired engine has 16 lanes

// The engines of tb_engines_top that project runs map to (16 lanes, NVFP4 x NVFP4, E2M1 weights).
enum class Engine { Fp32Seq = 0, Fixed32_16 = 1 };
const char* engine_name(Engine e);  // e.g. "dot_engine L=16 E2M1 mantissa-LUT, fp32-seq"

// The engine that computes A x B^T for these storage formats and accumulation policy, or nullopt with the reason.
std::optional<Engine> engine_for(const QuantSpec& a, const QuantSpec& b, const AccumPolicy& policy, std::string* why);

struct Dot {
  int64_t m = 0, n = 0;  // D[m][n] = row m of A . row n of B
};
// One engine instance's work: its dot products back to back (one block of 16 per beat), from cycle `start` on.
struct Stream {
  int64_t start = 0;
  std::vector<Dot> dots;
};
struct StreamResult {
  std::vector<float> d;        // per dot: D = accumulator x tensor scales, as numerics::gemm forms it
  std::vector<int64_t> taken;  // per dot: the cycle its result was taken (out_valid, out_ready high)
};
struct Run {
  std::vector<StreamResult> streams;
  int64_t cycles = 0;  // cycle 0 = the first beat offered; cycles = last result's cycle + 1
};

// `instances` copies of the Verilated top, clocked together (each owns its engines and tables).
class EngineArray {
 public:
  explicit EngineArray(int instances);
  ~EngineArray();
  EngineArray(const EngineArray&) = delete;
  EngineArray& operator=(const EngineArray&) = delete;
  int instances() const;
  // Resets every instance, then streams streams[i] through engine `e` of instance i (streams.size() <= instances),
  // out_ready always high. Throws nvfp4::Error if the RTL stops producing results.
  Run run(const QuantizedTensor& a, const QuantizedTensor& b, Engine e, const std::vector<Stream>& streams);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nvfp4::rtl
