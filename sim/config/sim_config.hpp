// The simulator's configuration (docs/sim.md, "Configuration"): an immutable spec parsed once from a versioned YAML
// file, split into architecture (the hardware), workload (how tensors are made) and run (how the simulation runs).
// Every key has one canonical name; unknown or missing keys are errors naming the file and the key.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "numerics/gemm.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::sim {

inline constexpr int kConfigVersion = 1;

struct ArraySpec {
  int rows = 4;                  // R: engines along M (os), along K-blocks (ws, is)
  int cols = 4;                  // C
  int lanes = 16;                // L: multipliers per engine (reduction elements per beat)
  int pipeline_depth = 4;        // P: engine pipeline stages (multiply, tree, scale, accumulate)
  std::string dataflow = "os";   // os | ws | is
  std::string multiplier = "mantissa-lut";  // lane multiplier style: a name of lut/multiplier_styles.hpp
  AccumPolicy accumulator;       // fp32-seq | fixed:W[:F]
  Scheme weight_format = Scheme::NVFP4;  // a scheme of lut::weight_formats() (activations are always nvfp4)
  int block = 16;                // block size B of the block scales
  double voltage_v = 0.9;        // logic supply of the array
  // Where the lanes' product tables live (lut/lut_storage.hpp): logic (ROM in the lane) | latch | sram; the supply of
  // a latch or SRAM table (resolved: the array voltage for latch, the SRAM preset's nominal for sram when not given)
  // and the code of an SRAM table (an ecc/ code name: none | secded).
  std::string lut_storage = "logic";
  double lut_voltage_v = 0;
  std::string lut_ecc = "none";
};

struct SramBankConfig {
  std::string name;              // activations | weights | scales | outputs
  double size_kib = 0;
  int word_bits = 64;
  int ports = 1;                 // words per cycle
  double voltage_v = 0.9;
  std::string ecc_layout = "none";    // an ecc::ProtectionLayout name (sim/config/bank_protection.hpp)
  std::string ecc_mode = "secded";    // secded | mixed-voltage (protected bits in a nominal-voltage bank, no code)
};

struct OffchipSpec {
  double bandwidth_bytes_per_cycle = 8;
  int latency_cycles = 100;
  double energy_pj_per_bit = 20;
};

struct ArchSpec {
  std::string name;
  double clock_mhz = 500;
  std::string technology;        // path of the technology table (resolved relative to the YAML file)
  std::string sram_technology;   // ecc/ SRAM preset name: p(V) and energy
  std::string synthesis_results; // Yosys area CSV (rtl_models/synth/results.csv); used for area when it exists
  std::string lut_cells;         // Liberty cell figures of the latch LUT storage (sim/tech/sky130-lut-cells.csv)
  ArraySpec array;
  SramBankConfig activations, weights, scales, outputs;
  OffchipSpec offchip;
};

struct WorkloadOptions {
  std::string activations = workload::kDefaultActivations;  // default generator of activation tensors not named in the workload
  std::string weights = workload::kDefaultWeights;   // default generator of weight tensors
  Recipe recipe = Recipe::TE;
  Rounding rounding = Rounding::RN;
  uint64_t seed = workload::kDefaultSeed;
};

struct RunOptions {
  bool faults = true;            // inject SRAM bit-cell faults at each bank's voltage
  uint64_t fault_seed = 7;
  int64_t quantum_cycles = 100000;  // temporal-decoupling quantum of the controller
  bool float_reference = true;   // compute the float GEMM for SQNR
  int64_t float_reference_rows = 0;  // > 0: SQNR estimated on this many output rows per layer (a systematic sample)
  int64_t threads = 1;           // host threads for the layers' numerics (same results for any count)
  // Residency across inferences (docs/sim.md, "Residency"): cold = every inference loads everything it uses from
  // off-chip memory; steady = weights that fit stay pinned on chip (loaded once) and activations stay on chip between
  // layers where they fit.
  std::string residency = "cold";
  int64_t inferences = 1000;     // steady: the one-time load is amortized over this many inferences
  double inference_rate_hz = 0;  // steady: inferences per second (pinned banks leak between them); 0 = back to back
  bool steady() const { return residency == "steady"; }
};

struct SimConfig {
  std::string source_file;
  ArchSpec arch;
  WorkloadOptions workload;
  RunOptions run;
  YAML::Node resolved;           // every setting with its value (defaults included), written back per run

  QuantSpec activation_spec() const;
  QuantSpec weight_spec() const;
};

// Why the edge array cannot build accumulation policy `p` ("" when it can): the one rule for array.accumulator and
// the TLM POLICY register.
std::string edge_accumulator_refusal(const AccumPolicy& p);

// Reads and validates; throws nvfp4::Error naming the file and key. Relative paths resolve against the file's folder.
SimConfig load_config(const std::string& path);
SimConfig parse_config(const std::string& yaml_text, const std::string& name_for_errors, const std::string& base_dir);

// Host threads for the numerics (run.threads, --threads): 1 .. kMaxThreads. threads_refusal returns why a value is
// refused ("" when accepted); set_threads applies a command-line value to the config and its resolved echo.
inline constexpr int64_t kMaxThreads = 256;
std::string threads_refusal(int64_t n);
void set_threads(SimConfig& c, int64_t n);

}  // namespace nvfp4::sim
