#include "sim/config/sim_config.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ecc/fault_injector.hpp"
#include "ecc/registry.hpp"
#include "ecc/sram_presets.hpp"
#include "lut/lut_storage.hpp"
#include "lut/multiplier_styles.hpp"
#include "numerics/seed.hpp"
#include "sim/config/bank_protection.hpp"
#include "sim/config/strict_yaml.hpp"
#include "sim/dataflow/dataflow.hpp"

namespace nvfp4::sim {
namespace {

// Finite and > 0: `.inf` and `.nan` are YAML floats, and an infinite clock or voltage is nonsense, not a limit.
void check_positive(StrictMap& m, const std::string& key, double v) {
  if (!std::isfinite(v)) m.fail(key, "must be a finite number, got " + std::to_string(v));
  if (!(v > 0)) m.fail(key, "must be > 0, got " + std::to_string(v));
}

void check_non_negative(StrictMap& m, const std::string& key, double v) {
  if (!std::isfinite(v) || v < 0) m.fail(key, "must be a finite number >= 0, got " + std::to_string(v));
}

// Engines per array side: beyond any array the model is meant for, and far below where R x C x L would overflow.
constexpr int kMaxArraySide = 65536;

void check_count(StrictMap& m, const std::string& key, int v, int max) {
  if (v < 1 || v > max) m.fail(key, "must be in [1, " + std::to_string(max) + "], got " + std::to_string(v));
}

// Seeds are read as text and checked against the one seed range (numerics/seed.hpp).
uint64_t read_seed(StrictMap& m, const std::string& key, uint64_t fallback, const char* description) {
  const std::string text = m.optional<std::string>(key, std::to_string(fallback), description);
  try {
    return parse_seed(text, m.key_path(key));
  } catch (const Error& e) {
    throw Error(m.file() + ": key " + e.what());
  }
}

SramBankConfig read_bank(StrictMap& parent, BankId id, Scheme weight_format) {
  const std::string name(kBankNames[static_cast<int>(id)]);
  StrictMap m = parent.child(name, true);
  SramBankConfig b;
  b.name = name;
  b.size_kib = m.required<double>("size_kib", "capacity in KiB");
  check_positive(m, "size_kib", b.size_kib);
  b.word_bits = m.required<int>("word_bits", "data bits per SRAM word");
  if (b.word_bits < 4 || b.word_bits > 128) m.fail("word_bits", "must be in [4, 128]");
  b.ports = m.optional<int>("ports", 1, "words read or written per cycle");
  if (b.ports < 1 || b.ports > 1024) m.fail("ports", "must be in [1, 1024], got " + std::to_string(b.ports));
  b.voltage_v = m.required<double>("voltage_v", "supply voltage");
  check_positive(m, "voltage_v", b.voltage_v);
  b.ecc_layout = m.optional<std::string>("ecc_layout", "none", "protected bits: an ecc/ protection layout");
  try {
    layout_fraction(b, id, weight_format);  // ecc/ decides which layouts exist and what they protect here
  } catch (const Error& e) {
    m.fail("ecc_layout", e.what());
  }
  b.ecc_mode = m.optional<std::string>("ecc_mode", "secded", "an ecc/ protection mode (ecc/registry.hpp)");
  try {
    ecc::protection_mode(b.ecc_mode);
  } catch (const Error& e) {
    m.fail("ecc_mode", e.what());
  }
  m.finish();
  return b;
}

// The LUT storage keys (lut/lut_storage.hpp owns the options and the tables' sizes).
void read_lut_storage(StrictMap& m, ArraySpec& a, const std::string& sram_technology) {
  a.lut_storage = m.optional<std::string>("lut_storage", "logic", "where the lane product tables live: logic | latch | sram");
  const lut::LutStorage* storage = nullptr;
  try {
    storage = &lut::parse_lut_storage(a.lut_storage);
  } catch (const Error& e) {
    m.fail("lut_storage", e.what());
  }
  const lut::StyleChoice style = lut::parse_multiplier_style(a.multiplier);
  if (storage->written && !lut::lane_table(style, lut::weight_format_of(a.weight_format)).has_table)
    m.fail("lut_storage", "multiplier '" + a.multiplier + "' has no product table to store; '" + a.lut_storage +
                              "' needs a table style (mantissa-lut, split-lut:S, full-lut); use logic");
  a.lut_ecc = m.optional<std::string>("lut_ecc", "none", "code of an SRAM product table: none | secded");
  try {
    ecc::parse_protected_code(a.lut_ecc);
  } catch (const Error& e) {
    m.fail("lut_ecc", e.what());
  }
  if (a.lut_ecc != "none" && !storage->voltage_faults)
    m.fail("lut_ecc", "'" + a.lut_ecc + "' protects an SRAM table; lut_storage '" + a.lut_storage + "' has no code");
  double fallback = a.voltage_v;  // latch (and the ROM): the array's logic supply
  if (storage->voltage_faults) {
    try {
      fallback = ecc::sram_preset(sram_technology).nominal_vdd_v;
    } catch (const Error&) {  // an unknown preset is reported by its own key
    }
  }
  a.lut_voltage_v = m.optional<double>("lut_voltage_v", fallback, "supply of a latch or SRAM product table");
  check_positive(m, "lut_voltage_v", a.lut_voltage_v);
}

ArraySpec read_array(StrictMap m, const std::string& sram_technology) {
  ArraySpec a;
  a.rows = m.required<int>("rows", "engine rows R");
  check_count(m, "rows", a.rows, kMaxArraySide);
  a.cols = m.required<int>("cols", "engine columns C");
  check_count(m, "cols", a.cols, kMaxArraySide);
  a.lanes = m.required<int>("lanes", "multiplier lanes per engine L");
  if (a.lanes < 1 || a.lanes > 64 || (a.lanes & (a.lanes - 1))) m.fail("lanes", "must be a power of two in [1, 64]");
  a.pipeline_depth = m.optional<int>("pipeline_depth", 4, "engine pipeline stages");
  check_count(m, "pipeline_depth", a.pipeline_depth, 1024);
  a.dataflow = m.optional<std::string>("dataflow", "os", "a name of the dataflow registry (sim/dataflow/dataflow.hpp)");
  try {
    make_dataflow(a.dataflow);
  } catch (const Error& e) {
    m.fail("dataflow", e.what());
  }
  const std::string acc = m.optional<std::string>("accumulator", "fp32-seq", "accumulation policy");
  try {
    a.accumulator = AccumPolicy::parse(acc);
  } catch (const Error& e) {
    m.fail("accumulator", e.what());
  }
  if (const std::string why = edge_accumulator_refusal(a.accumulator); !why.empty()) m.fail("accumulator", why);
  // Weight formats and multiplier styles: lut/'s registry (lut/multiplier_styles.hpp) says which exist and which pairs
  // have hardware.
  const std::string wf = m.optional<std::string>("weight_format", "nvfp4", "element format of the weights");
  try {
    a.weight_format = parse_scheme(wf);
    lut::weight_format_of(a.weight_format);
  } catch (const Error&) {
    std::string accepted;
    for (const lut::WeightFormatInfo& f : lut::weight_formats())
      accepted += (accepted.empty() ? "" : ", ") + std::string(to_string(f.scheme));
    m.fail("weight_format", "unknown format '" + wf + "' for lane weights (accepted: " + accepted + ")");
  }
  a.multiplier = m.optional<std::string>("multiplier", "mantissa-lut", "lane multiplier style");
  try {
    a.multiplier = lut::parse_multiplier_style(a.multiplier, lut::weight_format_of(a.weight_format)).name();
  } catch (const Error& e) {
    m.fail("multiplier", e.what());
  }
  a.block = m.optional<int>("block", 16, "block size of the block scales");
  if (a.block < 1 || a.block > 256 || (a.block & (a.block - 1))) m.fail("block", "must be a power of two in [1, 256]");
  a.voltage_v = m.optional<double>("voltage_v", 0.9, "logic supply voltage");
  check_positive(m, "voltage_v", a.voltage_v);
  read_lut_storage(m, a, sram_technology);
  m.finish();
  return a;
}

}  // namespace

std::string edge_accumulator_refusal(const AccumPolicy& p) {
  if (p.kind == AccumPolicy::Kind::BlackwellMma)
    return "blackwell-mma is a GPU model, not an edge accumulator (fp32-seq or fixed:W[:F])";
  return "";
}

QuantSpec SimConfig::activation_spec() const {
  QuantSpec s = QuantSpec::defaults_for(Scheme::NVFP4);
  s.recipe = workload.recipe;
  s.rounding = workload.rounding;
  s.block = arch.array.block;
  s.seed = workload.seed;
  return s;
}

QuantSpec SimConfig::weight_spec() const {
  QuantSpec s = QuantSpec::defaults_for(arch.array.weight_format);
  if (arch.array.weight_format == Scheme::NVFP4) {
    s.recipe = workload.recipe;
    s.block = arch.array.block;
  }
  s.rounding = workload.rounding;
  s.seed = workload.seed + 1;
  return s;
}

SimConfig parse_config(const std::string& yaml_text, const std::string& file, const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw Error(file + ": malformed YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  SimConfig c;
  c.source_file = file;
  c.resolved = YAML::Node(YAML::NodeType::Map);
  StrictMap top(root, file, "", c.resolved);
  const int version = top.required<int>("version", "config format version");
  if (version != kConfigVersion)
    top.fail("version", "unsupported version " + std::to_string(version) + " (this build reads version 1)");

  StrictMap arch = top.child("architecture", true);
  ArchSpec& a = c.arch;
  a.name = arch.required<std::string>("name", "design name");
  a.clock_mhz = arch.required<double>("clock_mhz", "clock frequency");
  check_positive(arch, "clock_mhz", a.clock_mhz);
  a.technology = arch.required<std::string>("technology", "technology table (CSV) path, relative to this file");
  if (!std::filesystem::path(a.technology).is_absolute())
    a.technology = std::filesystem::absolute(std::filesystem::path(base_dir) / a.technology).lexically_normal().string();
  c.resolved["architecture"]["technology"] = a.technology;  // echoed resolved, so the echo runs from anywhere
  a.synthesis_results = arch.optional<std::string>(
      "synthesis_results", "../../rtl_models/synth/results.csv",
      "Yosys area CSV, relative to the technology table's folder; used for datapath area when the file exists");
  if (!a.synthesis_results.empty() && !std::filesystem::path(a.synthesis_results).is_absolute())
    a.synthesis_results = (std::filesystem::path(a.technology).parent_path() / a.synthesis_results).lexically_normal().string();
  c.resolved["architecture"]["synthesis_results"] = a.synthesis_results;
  a.sram_technology = arch.optional<std::string>("sram_technology", "sun2017-65nm", "ecc/ SRAM preset name");
  a.lut_cells = arch.optional<std::string>(
      "lut_cells", "sky130-lut-cells.csv",
      "Liberty cell figures of a latch LUT storage (CSV), relative to the technology table's folder");
  if (!std::filesystem::path(a.lut_cells).is_absolute())
    a.lut_cells = (std::filesystem::path(a.technology).parent_path() / a.lut_cells).lexically_normal().string();
  c.resolved["architecture"]["lut_cells"] = a.lut_cells;
  a.array = read_array(arch.child("array", true), a.sram_technology);
  StrictMap sram = arch.child("sram", true);
  a.activations = read_bank(sram, BankId::Activations, a.array.weight_format);
  a.weights = read_bank(sram, BankId::Weights, a.array.weight_format);
  a.scales = read_bank(sram, BankId::Scales, a.array.weight_format);
  a.outputs = read_bank(sram, BankId::Outputs, a.array.weight_format);
  sram.finish();
  StrictMap off = arch.child("offchip", true);
  a.offchip.bandwidth_bytes_per_cycle = off.required<double>("bandwidth_bytes_per_cycle", "off-chip bandwidth");
  check_positive(off, "bandwidth_bytes_per_cycle", a.offchip.bandwidth_bytes_per_cycle);
  a.offchip.latency_cycles = off.required<int>("latency_cycles", "first-beat latency");
  if (a.offchip.latency_cycles < 0) off.fail("latency_cycles", "must be >= 0");
  a.offchip.energy_pj_per_bit = off.required<double>("energy_pj_per_bit", "energy per transferred bit");
  check_non_negative(off, "energy_pj_per_bit", a.offchip.energy_pj_per_bit);
  off.finish();
  arch.finish();

  StrictMap wl = top.child("workload", false);
  c.workload.activations = wl.optional<std::string>("activations", workload::kDefaultActivations, "default activation generator");
  c.workload.weights = wl.optional<std::string>("weights", workload::kDefaultWeights, "default weight generator");
  try {
    c.workload.recipe = parse_recipe(wl.optional<std::string>("recipe", "te", "nvfp4 quantization recipe"));
  } catch (const Error& e) {
    wl.fail("recipe", e.what());
  }
  try {
    c.workload.rounding = parse_rounding(wl.optional<std::string>("rounding", "rn", "rn | sr"));
  } catch (const Error& e) {
    wl.fail("rounding", e.what());
  }
  c.workload.seed = read_seed(wl, "seed", workload::kDefaultSeed, "generator seed");
  wl.finish();

  StrictMap run = top.child("run", false);
  c.run.faults = run.optional<bool>("faults", true, "inject SRAM faults");
  c.run.fault_seed = read_seed(run, "fault_seed", 7, "fault map seed");
  c.run.quantum_cycles = run.optional<int64_t>("quantum_cycles", 100000, "temporal decoupling quantum");
  check_positive(run, "quantum_cycles", static_cast<double>(c.run.quantum_cycles));
  c.run.float_reference = run.optional<bool>("float_reference", true, "float GEMM for SQNR");
  c.run.float_reference_rows =
      run.optional<int64_t>("float_reference_rows", 0, "output rows per layer the SQNR is estimated on; 0 = all");
  if (c.run.float_reference_rows < 0)
    run.fail("float_reference_rows", "must be >= 0 (0: every row, exact SQNR), got " +
                                         std::to_string(c.run.float_reference_rows));
  c.run.threads = run.optional<int64_t>("threads", 1, "host threads for the layers' numerics");
  if (const std::string why = threads_refusal(c.run.threads); !why.empty()) run.fail("threads", why);
  c.run.residency = run.optional<std::string>("residency", "cold", "cold | steady: what stays on chip across inferences");
  if (c.run.residency != "cold" && c.run.residency != "steady")
    run.fail("residency", "unknown policy '" + c.run.residency + "' (cold, steady)");
  c.run.inferences = run.optional<int64_t>("inferences", 1000, "inferences the one-time load is amortized over");
  if (c.run.inferences < 1) run.fail("inferences", "must be >= 1, got " + std::to_string(c.run.inferences));
  c.run.inference_rate_hz = run.optional<double>("inference_rate_hz", 0, "inferences per second; 0 = back to back");
  if (!(c.run.inference_rate_hz >= 0) || !std::isfinite(c.run.inference_rate_hz))
    run.fail("inference_rate_hz", "must be a finite number >= 0, got " + std::to_string(c.run.inference_rate_hz));
  run.finish();
  top.finish();

  try {
    c.activation_spec().validate();
    c.weight_spec().validate();
  } catch (const Error& e) {
    throw Error(file + ": " + e.what());
  }
  return c;
}

SimConfig load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path, std::filesystem::path(path).parent_path().string());
}

std::string threads_refusal(int64_t n) {
  if (n < 1 || n > kMaxThreads)
    return "must be an integer from 1 to " + std::to_string(kMaxThreads) + ", got " + std::to_string(n);
  return "";
}

void set_threads(SimConfig& c, int64_t n) {
  c.run.threads = n;
  c.resolved["run"]["threads"] = n;
}

}  // namespace nvfp4::sim
