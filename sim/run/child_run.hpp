// One simulator run inside a process that is not nvfp4sim (the sweeps' workers, through the Python bindings), with
// the same result as `nvfp4sim run`. SystemC elaborates once per process, so every run happens in a fresh forked
// process: it parses the architecture text with the simulator's parse_config (what the caller parsed), runs
// Simulation::validate and run exactly as the CLI does, and sends summary.json's text back. No other report file is
// written (a sweep keeps only the summary).
//
// The runs are forked by a zygote: a process forked from the caller once, at its first run, while it is still small,
// which then forks one child per run. A sweep worker grows to over a gigabyte of cached tensors; forking it for every
// run copied its page tables and then took a copy-on-write fault on every page it wrote afterwards (measured on the
// default study: ~5 s of CPU per 28 runs, for ~1 s of simulation). The zygote holds no descriptor of the caller but
// its socket (a Dask worker's connections close when the worker dies) and exits when the caller goes away.
#pragma once
#include <string>

namespace nvfp4::sim {

// summary.json of `nvfp4sim run --arch <yaml_text> --workload <workload_path>` with the configuration
// parse_config(yaml_text, name, base_dir); RunInfo names `name`. A refusal of the configuration or workload throws
// nvfp4::Error with the simulator's message; a run or zygote that dies throws too. Thread-safe (runs one at a time).
std::string run_summary_in_child(const std::string& yaml_text, const std::string& name, const std::string& base_dir,
                                 const std::string& workload_path);

}  // namespace nvfp4::sim
