// Python bindings of the simulator's configuration, validation and SRAM fault path (module `nvfp4_native`, class
// `SimPoint`; wrapped by scripts/nvfp4dse/simpoint.py). A design point's accuracy reads its operands back through
// exactly the simulator's code: the configuration's quantization specs (SimConfig::activation_spec / weight_spec) and
// sim::read_back_operand (ecc/'s injector, the configuration's banks, p(V) preset and seeds). Nothing here elaborates
// SystemC in this process (a process can elaborate it once): run_summary simulates in a forked child
// (sim/run/child_run.hpp).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/quantize.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/faults/operand_faults.hpp"
#include "sim/run/child_run.hpp"
#include "sim/run/float_reference.hpp"
#include "sim/run/heap_policy.hpp"
#include "sim/run/simulation.hpp"
#include "numerics/workload.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace {

using FloatMatrix = nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

// One parsed architecture file: the configuration and (on first use) its fault setup.
class SimPoint {
 public:
  SimPoint(const std::string& yaml_text, const std::string& name, const std::string& base_dir)
      : config_(nvfp4::sim::parse_config(yaml_text, name, base_dir)), text_(yaml_text), base_dir_(base_dir) {}

  // Everything `nvfp4sim run` checks before simulating (config, workload, SRAM feasibility, voltages, tables).
  void validate(const std::string& workload_path) const {
    nvfp4::sim::Simulation s(config_, nvfp4::workload::read_csv(workload_path), workload_path);
    s.validate();
  }

  std::string resolved_yaml() const {
    YAML::Emitter e;
    e.SetDoublePrecision(12);
    e << config_.resolved;
    return e.c_str();
  }

  nvfp4::QuantSpec spec(int operand) const {
    if (operand != 0 && operand != 1) throw nvfp4::Error("operand must be 0 (activations) or 1 (weights)");
    return operand == 0 ? config_.activation_spec() : config_.weight_spec();
  }

  nvfp4::QuantizedTensor quantize(FloatMatrix x, int operand) const {
    const nvfp4::QuantSpec spec = this->spec(operand);
    const float* p = x.data();
    const int64_t rows = static_cast<int64_t>(x.shape(0)), cols = static_cast<int64_t>(x.shape(1));
    nb::gil_scoped_release unlocked;
    return nvfp4::quantize(p, rows, cols, spec);
  }

  // The quantizer's scan (Quantizer::scan_rows) of each group of `group_rows` rows of x, as operand `operand`: the
  // largest |x| its tensor scale needs (the whole tensor's amax is the max over its groups); NaN/Inf refused as
  // quantize() refuses them.
  std::vector<float> group_amax(FloatMatrix x, int operand, int64_t group_rows) const {
    const std::unique_ptr<nvfp4::Quantizer> quantizer = nvfp4::make_quantizer(spec(operand));
    const int64_t rows = static_cast<int64_t>(x.shape(0)), cols = static_cast<int64_t>(x.shape(1));
    if (group_rows <= 0 || rows % group_rows != 0) throw nvfp4::Error("group_amax: the rows are not whole groups");
    std::vector<float> amax(static_cast<size_t>(rows / group_rows));
    const float* p = x.data();
    nb::gil_scoped_release unlocked;
    for (size_t g = 0; g < amax.size(); ++g) {
      const int64_t r0 = static_cast<int64_t>(g) * group_rows;
      amax[g] = quantizer->scan_rows(p + r0 * cols, r0, group_rows, cols);
    }
    return amax;
  }

  // `stored` (operand `operand` as quantize() stored a whole tensor of amax `amax`) with the row groups `groups`
  // (group g: rows g * group_rows ... (g + 1) * group_rows - 1) encoded again from x (their new rows, group after
  // group) with that amax (Quantizer::encode_rows): the bits quantize() gives for the tensor with those rows replaced,
  // when `amax` is also the new tensor's amax (the max of the unchanged groups' and the new rows' group_amax). The
  // caller checks that; a different tensor scale throws. None for 2-D block scales (one scale spans 16 rows).
  std::optional<nvfp4::QuantizedTensor> quantize_groups(const nvfp4::QuantizedTensor& stored, FloatMatrix x,
                                                        const std::vector<int64_t>& groups, int64_t group_rows,
                                                        float amax, int operand) const {
    const nvfp4::QuantSpec s = spec(operand);
    if (stored.spec.describe() != s.describe()) throw nvfp4::Error("quantize_groups: stored is not this operand's");
    if (s.block_2d) return std::nullopt;
    const int64_t cols = stored.cols;
    if (group_rows <= 0 || static_cast<int64_t>(x.shape(1)) != cols ||
        static_cast<int64_t>(x.shape(0)) != static_cast<int64_t>(groups.size()) * group_rows)
      throw nvfp4::Error("quantize_groups: x is not the groups' rows x K");
    for (const int64_t g : groups)
      if (g < 0 || (g + 1) * group_rows > stored.rows)
        throw nvfp4::Error("quantize_groups: a group outside the tensor");
    const std::unique_ptr<nvfp4::Quantizer> quantizer = nvfp4::make_quantizer(s);
    const float* p = x.data();
    nb::gil_scoped_release unlocked;
    nvfp4::QuantizedTensor q = stored;
    for (size_t j = 0; j < groups.size(); ++j)
      quantizer->encode_rows(p + static_cast<int64_t>(j) * group_rows * cols, groups[j] * group_rows, group_rows, amax,
                             q);
    return q;
  }

  std::pair<nvfp4::QuantizedTensor, nb::dict> read_back(const nvfp4::QuantizedTensor& stored, int64_t layer,
                                                        int operand) {
    if (operand != 0 && operand != 1) throw nvfp4::Error("operand must be 0 (activations) or 1 (weights)");
    if (!setup_) setup_ = nvfp4::sim::make_fault_setup(config_);
    nvfp4::sim::FaultCounts c;
    nvfp4::QuantizedTensor out;
    {
      nb::gil_scoped_release unlocked;
      out = nvfp4::sim::read_back_operand(stored, config_, *setup_, layer, operand, c);
    }
    nb::dict d;
    d["bits_stored"] = c.bits_stored;
    d["raw_bit_errors"] = c.raw_bit_errors;
    d["corrected_bits"] = c.corrected_bits;
    d["due_bits"] = c.due_bits;
    d["silent_bit_errors"] = c.silent_bit_errors;
    return {std::move(out), d};
  }

  // What read_back's result depends on besides the stored tensor (sim::read_back_key): the cache key of the sweeps.
  std::string read_back_key(int64_t layer, int operand) const {
    if (operand != 0 && operand != 1) throw nvfp4::Error("operand must be 0 (activations) or 1 (weights)");
    return nvfp4::sim::read_back_key(config_, layer, operand);
  }

  // summary.json of `nvfp4sim run` on this configuration and workload, run in a forked child (sim/run/child_run.hpp).
  std::string run_summary(const std::string& workload_path) const {
    nb::gil_scoped_release unlocked;
    return nvfp4::sim::run_summary_in_child(text_, config_.source_file, base_dir_, workload_path);
  }

  const nvfp4::sim::SimConfig& config() const { return config_; }

  std::string fault_model() {
    if (!setup_) setup_ = nvfp4::sim::make_fault_setup(config_);
    return config_.arch.sram_technology + ": " + setup_->failure->describe();
  }

 private:
  nvfp4::sim::SimConfig config_;
  std::string text_, base_dir_;  // what config_ was parsed from: the simulator's child parses the same
  std::optional<nvfp4::sim::FaultSetup> setup_;
};

}  // namespace

// libsystemc's own main() refers to sc_main, so loading the library needs the symbol; the extension never calls
// sc_elab_and_sim, so this one is never run.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char*[]) { return 1; }

void bind_sim(nb::module_& m) {
  m.def("keep_freed_memory", &nvfp4::sim::keep_freed_memory,
        "Apply the simulator's heap policy to this process (sim/run/heap_policy.hpp); False where not glibc.");
  m.def("keep_freed_memory_environment", &nvfp4::sim::keep_freed_memory_environment,
        "The heap policy as (name, value) environment pairs for a process about to be started.");
  m.def(
      "sim_float_gemm",
      [](FloatMatrix a, FloatMatrix b) {
        if (a.shape(1) != b.shape(1)) throw nvfp4::Error("sim_float_gemm: A and B need the same K");
        const int64_t M = static_cast<int64_t>(a.shape(0)), N = static_cast<int64_t>(b.shape(0)),
                      K = static_cast<int64_t>(a.shape(1));
        std::vector<float> d(static_cast<size_t>(M * N));
        {
          nb::gil_scoped_release unlocked;  // the arrays are read in place (A is up to tens of MB: no copy)
          nvfp4::sim::float_gemm_into(a.data(), b.data(), M, N, K, d.data(), N);
        }
        return nb::bytes(reinterpret_cast<const char*>(d.data()), d.size() * sizeof(float));
      },
      "a"_a, "b"_a, "The simulator's float reference A x B^T (sgemm, one thread) as float32 bytes, M x N.");
  m.def(
      "sim_sqnr",
      [](FloatMatrix reference, FloatMatrix out) {
        if (reference.shape(0) != out.shape(0) || reference.shape(1) != out.shape(1))
          throw nvfp4::Error("sim_sqnr: shapes differ");
        const float *r = reference.data(), *o = out.data();
        const int64_t n = static_cast<int64_t>(reference.shape(0) * reference.shape(1));
        nvfp4::sim::Sqnr s;
        {
          nb::gil_scoped_release unlocked;  // read in place (conv1's outputs are 25 MB: no copies)
          s = nvfp4::sim::sqnr(r, o, n);
        }
        return std::make_pair(s.db, s.nonfinite);
      },
      "reference"_a, "out"_a, "(dB, nonfinite outputs): the simulator's output SQNR (float32 M x N arrays).");

  m.def(
      "sim_read_workload",
      [](const std::string& path) {
        std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>> rows;
        for (const nvfp4::workload::Layer& l : nvfp4::workload::read_csv(path)) rows.emplace_back(l.name, l.M, l.N, l.K);
        return rows;
      },
      "path"_a, "(name, M, N, K) of every layer of a workload CSV, lowered as nvfp4sim lowers it (workload::read_csv).");

  nb::class_<SimPoint>(m, "SimPoint")
      .def(nb::init<const std::string&, const std::string&, const std::string&>(), "yaml_text"_a, "name"_a,
           "base_dir"_a, "Parse an nvfp4sim architecture file (text); errors name `name` and the dotted key.")
      .def("validate", &SimPoint::validate, "workload"_a,
           "Everything nvfp4sim run checks before simulating this workload; raises Error with its message.")
      .def("resolved_yaml", &SimPoint::resolved_yaml, "The configuration with every default filled in (YAML).")
      .def("quantize", &SimPoint::quantize, "x"_a, "operand"_a,
           "Quantize float32 rows x K as the simulator stores operand 0 (activations) or 1 (weights).")
      .def("group_amax", &SimPoint::group_amax, "x"_a, "operand"_a, "group_rows"_a,
           "The quantizer's amax (scan_rows) of each group of group_rows rows of x as operand 0 or 1: the tensor "
           "amax is their max.")
      .def("quantize_groups", &SimPoint::quantize_groups, "stored"_a, "x"_a, "groups"_a, "group_rows"_a, "amax"_a,
           "operand"_a,
           "stored (quantize() of a tensor of amax `amax`) with the row groups `groups` encoded again from x with that "
           "amax: quantize()'s bits for the tensor with those rows replaced when amax is its amax too; None for 2-D "
           "block scales.")
      .def("read_back", &SimPoint::read_back, "stored"_a, "layer"_a, "operand"_a,
           "(tensor as read back from the SRAM banks, fault counts) for layer index `layer`: sim::read_back_operand.")
      .def("read_back_key", &SimPoint::read_back_key, "layer"_a, "operand"_a,
           "Everything read_back(stored, layer, operand) depends on besides `stored` (banks, p(V) preset, seed, "
           "faults), as text: equal keys, equal read-back bits and counts (sim::read_back_key).")
      .def("quantize_key", [](const SimPoint& p, int operand) { return p.spec(operand).describe(); }, "operand"_a,
           "Everything quantize(x, operand) depends on besides x: the operand's QuantSpec, described.")
      .def("run_summary", &SimPoint::run_summary, "workload"_a,
           "summary.json (text) of nvfp4sim run on this configuration and workload: the same simulation, in a "
           "forked child process (SystemC elaborates once per process); no other report file.")
      .def_prop_ro("activation_spec", [](const SimPoint& p) { return p.config().activation_spec(); })
      .def_prop_ro("weight_spec", [](const SimPoint& p) { return p.config().weight_spec(); })
      .def_prop_ro("accumulator", [](const SimPoint& p) { return p.config().arch.array.accumulator.name(); })
      .def_prop_ro("faults", [](const SimPoint& p) { return p.config().run.faults; })
      .def_prop_ro("fault_seed", [](const SimPoint& p) { return p.config().run.fault_seed; })
      .def_prop_ro("fault_model", &SimPoint::fault_model,
                   "The SRAM technology preset and its p(V) model, as the fault path uses them (one line).")
      .def_prop_ro("sram_technology", [](const SimPoint& p) { return p.config().arch.sram_technology; });
}
