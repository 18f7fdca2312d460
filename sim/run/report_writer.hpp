// The files of a run (docs/sim.md, "Output files"), the same set every time:
//   layers.csv            one row per layer: shape, cycles, stalls, utilization, action counts, energy by component,
//                         SQNR, faults
//   summary.json          totals of the run (written last: its presence marks a complete run)
//   host.json             host measurements only (threads, wall and CPU seconds, per-layer numerics time): the one
//                         file that differs between runs of the same inputs; every other file is the same bits
//   resolved_config.yaml  every setting with the value used, defaults included
//   outputs/NNN_<name>.npy  float32 M x N outputs (only with --save-outputs)
//   trace.vcd             controller activity (only with --vcd)
// Files are written into a hidden partial folder inside the output folder and moved into place at the end, so a run
// that fails leaves no file that looks complete.
#pragma once
#include <ostream>
#include <string>

#include "sim/run/simulation.hpp"

namespace nvfp4::sim {

// The run's output folder: every file is written into DIR/.nvfp4sim-partial-PID/ and moved into place by commit(),
// summary.json last, so "summary.json present" means "this run completed".
class OutputFolder {
 public:
  // Removes DIR/summary.json of an earlier run, if any, before anything else can fail (a run that stops on bad input
  // must not leave the previous run's summary looking like its own). Creates nothing.
  static void discard_summary(const std::string& dir);
  // Partial folders of killed runs (their process is gone): removed, each reported on `log`.
  static void remove_stale_partials(const std::string& dir, std::ostream& log);
  // Creates `dir` if needed, removes a previous summary.json and stale partial folders, opens the partial folder.
  explicit OutputFolder(std::string dir, std::ostream* log = nullptr);
  ~OutputFolder();  // removes the partial folder (after commit() it is empty)
  std::string partial(const std::string& name) const;  // where to write `name` for now
  void commit();  // moves every partial file into place, summary.json last
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, tmp_;
};

struct RtlReport;
struct RunInfo {
  std::string arch_path, workload_path;
  const RtlReport* rtl = nullptr;  // --datapath rtl: summary.json's "rtl" and its lines in the summary
};

void write_layers_csv(const std::string& path, const Simulation& sim);
void write_summary_json(const std::string& path, const Simulation& sim, const RunInfo& info);
void write_summary_json(std::ostream& out, const Simulation& sim, const RunInfo& info);  // the same text, to a stream
void write_resolved_config(const std::string& path, const Simulation& sim);
void write_host_json(const std::string& path, const Simulation& sim);
void write_outputs(const OutputFolder& folder, const Simulation& sim);
// The short human summary printed by the CLI.
std::string summary_text(const Simulation& sim, const RunInfo& info, const std::string& out_dir);

}  // namespace nvfp4::sim
