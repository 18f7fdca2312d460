// nvfp4sim: the SystemC simulator's command line (docs/sim.md). main only parses, runs and finalises.
#include <unistd.h>
#if defined(__GLIBC__)
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <systemc>

#include "numerics/error.hpp"
#include "numerics/version.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/model/register_map.hpp"
#include "sim/run/registry_dump.hpp"
#include "sim/run/datapath_report.hpp"
#include "sim/run/heap_policy.hpp"
#include "sim/run/operand_writer.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/simulation.hpp"
#include "numerics/workload.hpp"
#include "sim/run/rtl_report.hpp"
#ifdef NVFP4_SIM_HAVE_RTL
#include "sim/rtl/rtl_fold_check.hpp"
#endif

namespace {

constexpr const char* kHelp = R"(nvfp4sim - cycle-approximate SystemC model of an NVFP4 edge MAC array, with energy, area and SRAM faults

Usage:
  nvfp4sim run --arch ARCH.yaml --workload WORKLOAD.csv --out DIR [--threads N] [--vcd] [--save-outputs]
               [--save-operands] [--datapath golden|engine|rtl] [--rtl-layers a,b] [--rtl-sample N]
               [--quiet] [--memory-budget BYTES]
  nvfp4sim registry --json | --markdown | --registers
  nvfp4sim --help | --version

run        Simulates every layer of the workload on the design, layer after layer, and writes DIR/:
             layers.csv            per layer: M N K, folds, cycles, compute/stall cycles, utilization, action
                                   counts, SRAM words per bank, off-chip bits, energy by component [pJ], output SQNR
                                   vs float [dB], SRAM fault counts
             summary.json          run totals: cycles, time, energy per inference and per component, area per
                                   component, SQNR, faults (written last: a run that fails leaves no summary.json)
             host.json             host measurements: threads, wall and CPU seconds, simulated MACs per host second,
                                   each layer's numerics time (every other file is the same bits on every run)
             resolved_config.yaml  the configuration used, every default filled in
             outputs/NNN_name.npy  with --save-outputs: each layer's float32 M x N output
             operands/             with --save-operands: a replay set (docs/workloads.md, "Replay sets"): per layer
                                   NNN_name.a.npz / .b.npz, the stored operands exactly as computed on (quantized,
                                   then read back from SRAM with its faults), NNN_name.d.npy, the output, and
                                   manifest.csv (shapes, accumulation policy); nvfp4-gpucheck --replay DIR/operands
                                   replays it on a GPU, scripts/crosscheck on every level
             trace.vcd             with --vcd: controller activity (busy, layer, folds_done) over simulated time
           and prints a short summary (cycles, energy per inference and its breakdown, SQNR).
--arch     Versioned YAML (version: 1) with sections architecture (array, SRAM banks, off-chip port, technology),
           workload (tensor generators, quantization recipe, seed) and run (faults, quantum). Presets:
           sim/presets/edge-small.yaml (4 x 4 engines of 16 lanes), sim/presets/edge-large.yaml.
           Unknown or missing keys are errors that name the key.
--workload CSV of layers: native "name,type,M,N,K,batch,ifmap_h,ifmap_w,channels,filter_h,filter_w,num_filters,
           stride,padding,activations,weights" (type gemm or conv; activations/weights: a generator such as
           normal(0,1) or a .npy / file.npz:member path), a "name,M,N,K" table, or a SCALE-Sim topology CSV as
           it is (docs/workloads.md; the same reader and tensors as nvfp4-gpucheck).
           Example: sim/examples/resnet18.csv (ResNet-18, batch 1, 224 x 224, 1.8 GMAC).
registry   Prints every registry of the project (multiplier styles and their Verilog / synthesis / technology keys,
           ECC layouts, codes and modes, dataflows, schemes, recipes, roundings, accumulation policies) as JSON or
           Markdown. Committed copies: docs/registry.json, docs/registry.md (docs/DEVELOPING.md, "Registries").
           --registers: the TLM register map and job error codes (docs/sim.md, "TLM-2.0 interface").
--vcd      Also write DIR/trace.vcd.
--save-outputs  Also write every layer's output as .npy.
--save-operands  Also write the replay set (operands/).
--datapath golden|engine  Which model computes the outputs: golden (default) = the numerics core's GEMM; engine =
           lut::DotEngine, the array's bit-level datapath (XOR sign, exponent add, mantissa LUT, adder tree, scale
           unit, accumulator) for every dot product, checked bit for bit against the golden GEMM and written to
           DIR/datapath.csv; any difference prints "datapath MISMATCH" and exits 1 (after writing the files).
--datapath rtl  The golden GEMM computes the outputs; the Verilated RTL dot engines (rtl_models/rtl/dot_engine.sv,
           one instance per array position, driven by the controller's schedule fold by fold) compute the folds of
           the selected layers, and every RTL output bit is compared with the golden GEMM. DIR/rtl.csv, the "rtl"
           section of summary.json and the summary give per layer the bits compared, the first differing element,
           and the RTL's measured cycles beside the simulator's cycle model for the same folds (difference
           explained). A mismatch prints "RTL MISMATCH" and exits 1. Needs a build with Verilator; os dataflow,
           16 lanes, NVFP4 x NVFP4 with blocks of 16, fp32-seq or fixed:32:16 (refused otherwise, before any work).
--rtl-layers a,b  With --datapath rtl: the layers to run on the RTL (default: every layer).
--rtl-sample N  With --datapath rtl: folds per layer on the RTL, evenly spaced, first and last included (default 4;
           every fold of a layer that has no more).
--quiet    No summary and no progress bar.
--threads N  Host threads for the layers' numerics (default: run.threads of the YAML, 1). Layers run on a pool,
           largest first; SystemC time stays on one thread. Same output bits and report files for any N (host
           timings go to host.json only).
--memory-budget BYTES  Host memory the run may use (suffix K, M, G or T: powers of 1024). Default:
           $NVFP4_MEMORY_BUDGET, else the machine's memory. A layer (with the SRAM bank models and, with
           --save-outputs, the outputs kept so far) that needs more is refused before any work, by name.

Every output is bit-identical to the golden GEMM of numerics/ (nvfp4::gemm) on the stored operands as read back from
the SRAM banks (with faults when run.faults is true). Bad input (unknown keys, zero sizes, K = 0, SRAM too small for
the array, unreadable or mis-shaped tensors, malformed CSV, sizes that overflow 64 bits or exceed the memory budget,
repeated YAML keys, non-finite numbers, seeds outside 0 .. 4294967295) is reported as "error: ..." with exit status 2
before any simulation starts; a summary.json of an earlier run in DIR is removed first, so a summary.json is always
this run's. Partial folders (DIR/.nvfp4sim-partial-PID) of killed runs are removed, and reported, by the next run.
Formats and formulas: docs/sim.md.
)";

int usage_error(const std::string& msg) {
  std::cerr << "error: " << msg << "\n(run nvfp4sim --help)\n";
  return 2;
}

}  // namespace

int sc_main(int argc, char** argv) {
  using namespace nvfp4;
  std::string arch, workload, out, memory_budget, datapath = "golden";
  bool vcd = false, save = false, save_operands = false, quiet = false;
  std::string threads_text, rtl_layers_text, rtl_sample_text;
  bool rtl_layers_given = false;
  if (argc < 2) return usage_error("missing command");
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kHelp;
    return 0;
  }
  if (cmd == "--version") {
    std::cout << "nvfp4sim " << version() << " (SystemC " << sc_core::sc_release() << ")\n";
    return 0;
  }
  if (cmd == "registry") {
    const std::string fmt = argc == 3 ? argv[2] : "";
    if (fmt == "--json") std::cout << sim::registry_json();
    else if (fmt == "--markdown") std::cout << sim::registry_markdown();
    else if (fmt == "--registers") std::cout << sim::regs::register_map_markdown();
    else return usage_error("registry takes exactly one of --json, --markdown, --registers");
    return 0;
  }
  if (cmd != "run") return usage_error("unknown command '" + cmd + "'");
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& dst) {
      if (i + 1 >= argc) throw Error("option " + a + " needs a value");
      dst = argv[++i];
    };
    try {
      if (a == "--arch") value(arch);
      else if (a == "--workload") value(workload);
      else if (a == "--out") value(out);
      else if (a == "--memory-budget") value(memory_budget);
      else if (a == "--threads") value(threads_text);
      else if (a == "--vcd") vcd = true;
      else if (a == "--save-outputs") save = true;
      else if (a == "--save-operands") save_operands = true;
      else if (a == "--datapath") value(datapath);
      else if (a == "--rtl-layers") value(rtl_layers_text), rtl_layers_given = true;
      else if (a == "--rtl-sample") value(rtl_sample_text);
      else if (a == "--quiet") quiet = true;
      else if (a == "--help" || a == "-h") { std::cout << kHelp; return 0; }
      else return usage_error("unknown option '" + a + "'");
    } catch (const Error& e) {
      return usage_error(e.what());
    }
  }
  if (arch.empty()) return usage_error("missing --arch");
  if (workload.empty()) return usage_error("missing --workload");
  if (out.empty()) return usage_error("missing --out");
  int64_t threads = 0;
  if (!threads_text.empty()) {
    size_t used = 0;
    try {
      threads = std::stoll(threads_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != threads_text.size()) return usage_error("--threads: '" + threads_text + "' is not an integer");
    if (const std::string why = sim::threads_refusal(threads); !why.empty()) return usage_error("--threads: " + why);
  }
  // --datapath rtl's options, checked before any work
  int64_t rtl_sample = 4;
  std::vector<std::string> rtl_layers;
  if (datapath != "rtl" && (rtl_layers_given || !rtl_sample_text.empty()))
    return usage_error(std::string(rtl_layers_given ? "--rtl-layers" : "--rtl-sample") + " needs --datapath rtl");
  if (!rtl_sample_text.empty()) {
    size_t used = 0;
    try {
      rtl_sample = std::stoll(rtl_sample_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != rtl_sample_text.size() || rtl_sample < 1)
      return usage_error("--rtl-sample: '" + rtl_sample_text + "' is not an integer >= 1 (folds per layer)");
  }
  if (rtl_layers_given) {
    std::string cur;
    for (char ch : rtl_layers_text + ",") {
      if (ch != ',') {
        cur += ch;
        continue;
      }
      if (cur.empty()) return usage_error("--rtl-layers: '" + rtl_layers_text + "' has an empty layer name");
      rtl_layers.push_back(cur);
      cur.clear();
    }
  }
#ifndef NVFP4_SIM_HAVE_RTL
  if (datapath == "rtl")
    return usage_error("--datapath rtl: this nvfp4sim was built without Verilator, so it has no RTL engines "
                       "(install verilator, scripts/deps/apt-rtl.txt, and reconfigure); --datapath golden or engine "
                       "work in this build");
#endif
  try {
    sim::OutputFolder::discard_summary(out);  // first: a run that stops on bad input leaves no summary.json
    const sim::Datapath datapath_choice = sim::parse_datapath(datapath);
    sim::SimConfig config = sim::load_config(arch);
    if (threads > 0) sim::set_threads(config, threads);
    sim::Simulation simulation(std::move(config), workload::read_csv(workload), workload);
    simulation.validate(memory_budget, save);  // every input error surfaces here, before any simulation or output
#ifdef NVFP4_SIM_HAVE_RTL
    std::unique_ptr<sim::RtlFoldCheck> rtl;  // refuses a design the RTL cannot run or an unknown layer, before work
    if (datapath_choice == sim::Datapath::Rtl)
      rtl = std::make_unique<sim::RtlFoldCheck>("rtl", simulation, sim::RtlSelection{rtl_layers, rtl_sample});
#endif
    sim::OutputFolder folder(out, &std::cerr);
    sim::RunControl control;
    control.datapath = datapath_choice;
#ifdef NVFP4_SIM_HAVE_RTL
    control.folds = rtl.get();
#endif
    control.save_outputs = save;
    control.progress = !quiet;
    if (vcd) control.vcd_path = folder.partial("trace");
    std::unique_ptr<sim::OperandWriter> operands;
    if (save_operands) {
      operands = std::make_unique<sim::OperandWriter>(folder, simulation);
      control.observe = [&](size_t i, const QuantizedTensor& a, const QuantizedTensor& b, const std::vector<float>& d) {
        operands->observe(i, a, b, d);
      };
    }
    simulation.run(control);
    if (operands) operands->write_manifest();
    int datapath_failures = 0;
    if (control.datapath == sim::Datapath::Engine)
      datapath_failures = sim::write_datapath_csv(folder.partial("datapath.csv"), simulation);
    sim::RunInfo info{arch, workload};
    int rtl_failures = 0;
#ifdef NVFP4_SIM_HAVE_RTL
    if (rtl) {
      info.rtl = &rtl->report();
      sim::write_rtl_csv(folder.partial("rtl.csv"), rtl->report());
      rtl_failures = rtl->report().failures();
    }
#endif
    sim::write_layers_csv(folder.partial("layers.csv"), simulation);
    sim::write_resolved_config(folder.partial("resolved_config.yaml"), simulation);
    sim::write_host_json(folder.partial("host.json"), simulation);
    if (save) sim::write_outputs(folder, simulation);
    sim::write_summary_json(folder.partial("summary.json"), simulation, info);
    folder.commit();
    if (!quiet) std::cout << sim::summary_text(simulation, info, out);
    if (datapath_failures) {
      std::cerr << "datapath MISMATCH: " << datapath_failures << " layer(s) differ from the golden GEMM (see " << out
                << "/datapath.csv)\n";
      return 1;
    }
    if (rtl_failures) {
      std::cerr << "RTL MISMATCH: " << rtl_failures << " layer(s) of the RTL engines differ from the golden GEMM or "
                << "from the cycle model beyond its stated reasons (see " << out << "/rtl.csv)\n";
      return 1;
    }
    return 0;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}

// Our own main (instead of libsystemc's) so the SystemC banner stays off stdout: the summary is the only output.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  nvfp4::sim::keep_freed_memory();  // before the first tensor is allocated (sim/run/heap_policy.hpp)
  return sc_core::sc_elab_and_sim(argc, argv);
}
