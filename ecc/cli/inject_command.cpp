#include "ecc/cli/inject_command.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ecc/fault_injector.hpp"
#include "ecc/report_json.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/memory_budget.hpp"
#include "numerics/npy.hpp"
#include "numerics/quantize.hpp"
#include "numerics/seed.hpp"
#include "numerics/version.hpp"

namespace nvfp4::ecc::cli {

namespace {

constexpr const char* kUsage = R"(usage: nvfp4-inject --in Q.npz --out FAULTY.npz --report REPORT.json --vdd V --layout L [options]

Injects voltage-scaled SRAM faults into a quantized tensor (codes, block scales, tensor scale) stored under a
selective-protection layout, decodes SECDED, and writes the faulty tensor and a JSON report.

required:
  --in PATH              quantized tensor file (.npz written by `nvfp4 quantize`)
  --out PATH             faulty tensor file to write (.npz)
  --report PATH          JSON report to write
  --vdd V                supply voltage of the data bank, volts (0 < V <= nominal)
  --layout L             none | scale | sign-exp-scale | full | custom:code=0xHH,scale=0xHH,tensor=0|1
options:
  --seed N               fault-map seed, 0 .. 4294967295 (default 0)
  --word-bits K          SRAM data word / SECDED data width, 4..128 (default 64)
  --protected-code C     secded | none: code of the protected bank (default secded)
  --protected-vdd V      voltage of the protected bank (default: --vdd); nominal = mixed-voltage storage
  --fault F              flip | stuck-at | transient (default flip)
  --read-index N         which read, for transient faults (default 0)
  --on-due P             keep | zero: data delivered for a detected-uncorrectable word (default keep)
  --sram NAME            SRAM preset for p(V) (default sun2017-65nm)
  --ber-table PATH       p(V) from a CSV table with header vdd_v,bit_error_rate (instead of --sram)
  --nominal-v V          nominal voltage of --ber-table (default: its highest voltage)
  --ber P                a fixed bit error rate at any voltage, 0 <= P <= 1 (instead of --sram)
  --gemm-with PATH       quantized tensor of the other GEMM operand: report GEMM error vs the fault-free output
  --operand a|b          role of the injected tensor in D = A x B^T (default a)
  --accum POLICY         GEMM accumulation policy (default fp32-seq)
)";

struct Options {
  std::map<std::string, std::string> values;
  bool help = false;
};

const std::vector<std::string>& known_options() {
  static const std::vector<std::string> k{"in", "out", "report", "vdd", "layout", "seed", "word-bits",
                                          "protected-code", "protected-vdd", "fault", "read-index", "on-due", "sram",
                                          "ber-table", "nominal-v", "ber", "gemm-with", "operand", "accum"};
  return k;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      o.help = true;
      continue;
    }
    if (!a.starts_with("--")) throw Error("unexpected argument '" + a + "' (options start with --; see --help)");
    std::string key = a.substr(2), value;
    if (const size_t eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else {
      if (i + 1 >= argc) throw Error("option --" + key + " needs a value");
      value = argv[++i];
    }
    bool known = false;
    for (const auto& k : known_options()) known = known || k == key;
    if (!known) throw Error("unknown option --" + key + " (see --help)");
    if (o.values.count(key)) throw Error("option --" + key + " given twice");
    o.values[key] = value;
  }
  return o;
}

std::optional<std::string> get(const Options& o, const std::string& key) {
  const auto it = o.values.find(key);
  if (it == o.values.end()) return std::nullopt;
  return it->second;
}

std::string required(const Options& o, const std::string& key) {
  auto v = get(o, key);
  if (!v || v->empty()) throw Error("missing required option --" + key + " (see --help)");
  return *v;
}

double parse_double(const std::string& key, const std::string& text) {
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) {
    throw Error("--" + key + " '" + text + "' is not a finite number");
  }
  return v;
}

uint64_t parse_u64(const std::string& key, const std::string& text) {
  uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    throw Error("--" + key + " '" + text + "' is not a non-negative integer");
  }
  return v;
}

std::shared_ptr<const FailureModel> failure_model(const Options& o, std::string& preset_name) {
  const int sources = (get(o, "sram") ? 1 : 0) + (get(o, "ber-table") ? 1 : 0) + (get(o, "ber") ? 1 : 0);
  if (sources > 1) throw Error("give at most one of --sram, --ber-table, --ber");
  if (get(o, "nominal-v") && !get(o, "ber-table") && !get(o, "ber")) {
    throw Error("--nominal-v applies to --ber-table or --ber only (a preset has its own nominal voltage)");
  }
  const double nominal = get(o, "nominal-v") ? parse_double("nominal-v", *get(o, "nominal-v")) : 0.0;
  if (get(o, "nominal-v") && !(nominal > 0.0)) throw Error("--nominal-v must be > 0 V");
  if (auto path = get(o, "ber-table")) {
    return std::make_shared<TableFailureModel>(TableFailureModel::from_csv(*path, nominal));
  }
  if (auto ber = get(o, "ber")) {
    return std::make_shared<FixedRateModel>(parse_double("ber", *ber), nominal > 0.0 ? nominal : 1.0);
  }
  preset_name = get(o, "sram").value_or(std::string(kDefaultSramPreset));
  return make_failure_model(sram_preset(preset_name));
}

// Writes `text` to `path` through a temporary file in the same folder and a rename.
// Values that decode to NaN/Inf after the faults but not before: a flipped bit may make a stored block scale or the
// tensor scale NaN (that is physics); the file keeps it and the tools propagate it as the hardware does.
struct Poisoned {
  int64_t values = 0, of = 0;
  bool tensor_scale = false;
};

Poisoned count_poisoned(const QuantizedTensor& clean, const QuantizedTensor& faulty) {
  const std::vector<float> before = dequantize(clean), after = dequantize(faulty);
  Poisoned p;
  p.of = static_cast<int64_t>(after.size());
  for (size_t i = 0; i < after.size(); ++i) p.values += std::isfinite(before[i]) && !std::isfinite(after[i]);
  p.tensor_scale = std::isfinite(clean.tensor_scale) && !std::isfinite(faulty.tensor_scale);
  return p;
}

std::string poisoned_json(const Poisoned& p) {
  return "{\"nonfinite_values\": " + std::to_string(p.values) + ", \"values\": " + std::to_string(p.of) +
         ", \"tensor_scale_nonfinite\": " + (p.tensor_scale ? "true" : "false") + "}";
}

void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp-nvfp4-inject";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw Error("cannot write '" + path + "' (cannot create " + tmp + ")");
    f << text;
    f.flush();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error("cannot write '" + path + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error("cannot move the report into place at '" + path + "'");
  }
}

}  // namespace

int run_inject(int argc, char** argv, std::ostream& out) {
  const Options o = parse(argc, argv);
  if (o.help) {
    out << kUsage;
    return 0;
  }
  // ---- read and validate everything before anything is written
  const std::string in_path = required(o, "in"), out_path = required(o, "out"), report_path = required(o, "report");
  if (out_path == report_path) throw Error("--out and --report name the same file");
  const QuantizedTensor q = load_quantized(in_path);

  std::string preset_name;
  InjectionConfig cfg;
  cfg.failure = failure_model(o, preset_name);
  cfg.vdd_v = parse_double("vdd", required(o, "vdd"));
  check_vdd(cfg.vdd_v, cfg.failure->nominal_vdd_v(), "--vdd");
  if (auto v = get(o, "protected-vdd")) {
    cfg.protected_vdd_v = parse_double("protected-vdd", *v);
    check_vdd(cfg.protected_vdd_v, cfg.failure->nominal_vdd_v(), "--protected-vdd");
  }
  cfg.layout = ProtectionLayout::parse(required(o, "layout"), q.spec.scheme);
  if (auto v = get(o, "word-bits")) {
    const uint64_t k = parse_u64("word-bits", *v);
    if (k < 4 || k > 128) throw Error("--word-bits " + *v + " is out of range: the SECDED data width must be 4..128");
    cfg.word_bits = static_cast<int>(k);
  }
  if (auto v = get(o, "protected-code")) cfg.protected_code = parse_protected_code(*v);
  if (auto v = get(o, "fault")) cfg.fault = parse_fault_kind(*v);
  if (auto v = get(o, "seed")) cfg.seed = parse_seed(*v, "--seed");
  if (auto v = get(o, "read-index")) cfg.read_index = parse_u64("read-index", *v);
  if (auto v = get(o, "on-due")) cfg.on_due = parse_due_policy(*v);

  std::optional<QuantizedTensor> other;
  bool injected_is_a = true;
  AccumPolicy accum;
  if (auto v = get(o, "gemm-with")) other = load_quantized(*v);
  if (auto v = get(o, "operand")) {
    if (*v != "a" && *v != "b") throw Error("--operand must be a or b, got '" + *v + "'");
    injected_is_a = *v == "a";
  }
  if (auto v = get(o, "accum")) accum = AccumPolicy::parse(*v);
  if (!other && (get(o, "operand") || get(o, "accum"))) throw Error("--operand and --accum need --gemm-with");

  if (other) {  // sizes before work: the two GEMM outputs (fault-free and faulty) must fit the memory budget
    const int64_t outputs = checked_product({q.rows, other->rows}, "--gemm-with: D = M x N");
    check_memory_budget(8.0 * static_cast<double>(outputs), "--gemm-with: two GEMM outputs of " +
                        std::to_string(injected_is_a ? q.rows : other->rows) + " x " +
                        std::to_string(injected_is_a ? other->rows : q.rows));
  }

  // ---- run
  const InjectionResult res = inject_faults(q, cfg);
  std::string gemm_json = "null";
  if (other) {
    const auto& a_clean = injected_is_a ? q : *other;
    const auto& b_clean = injected_is_a ? *other : q;
    const auto golden = gemm(a_clean, b_clean, accum);
    const auto faulty = injected_is_a ? gemm(res.faulty, *other, accum) : gemm(*other, res.faulty, accum);
    const GemmErrorReport g = compare_outputs(golden, faulty);
    gemm_json = "{\"with\": " + json_string(*get(o, "gemm-with")) + ", \"operand\": \"" +
                (injected_is_a ? "a" : "b") + "\", \"accum\": " + json_string(accum.name()) +
                ", \"outputs\": " + std::to_string(g.outputs) + ", \"differing\": " + std::to_string(g.differing) +
                ", \"nonfinite\": " + std::to_string(g.nonfinite) + ", \"sqnr_db\": " + json_number(g.sqnr_db) +
                ", \"max_abs_error\": " + json_number(g.max_abs_error) + "}";
  }
  const Poisoned poisoned = count_poisoned(q, res.faulty);
  std::string json = "{\n  \"tool\": \"nvfp4-inject\",\n  \"version\": " + json_string(version()) +
                     ",\n  \"input\": " + json_string(in_path) + ",\n  \"output\": " + json_string(out_path) +
                     ",\n  \"sram_preset\": " + (preset_name.empty() ? "null" : json_string(preset_name)) +
                     ",\n  \"injection\": " + injection_json(q, cfg, res.report, 2) + ",\n  \"poisoned\": " + poisoned_json(poisoned) + ",\n  \"gemm\": " + gemm_json +
                     "\n}\n";

  // ---- write: the tensor (atomic inside save_quantized), then the report; no half-finished pair is left behind
  save_quantized(out_path, res.faulty);
  try {
    write_text_atomically(report_path, json);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(out_path, ec);
    throw;
  }
  const FieldCounts t = res.report.total_data();
  out << "nvfp4-inject: " << t.raw_bit_errors << " raw bit errors, " << t.corrected_bits << " corrected, "
      << t.due_bits << " detected-uncorrectable, " << t.silent_bit_errors << " silent (of " << t.bits_stored
      << " data bits); wrote " << out_path << " and " << report_path << "\n";
  if (poisoned.values > 0)
    out << "nvfp4-inject: " << poisoned.values << " of " << poisoned.of << " values decode to NaN/Inf after the faults"
        << (poisoned.tensor_scale ? " (the stored tensor scale is no longer finite: every value is poisoned)" : "")
        << "; the tools propagate them as the hardware does\n";
  return 0;
}

}  // namespace nvfp4::ecc::cli
