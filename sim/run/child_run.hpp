// One simulator run inside a process that is not nvfp4sim (the sweeps' workers, through the Python bindings), with
// the same result as `nvfp4sim run`. SystemC elaborates once per process, so the run happens in a forked child: it
// inherits the caller's loaded libraries and parsed configuration (no exec, no dynamic loading, no YAML file), runs
// Simulation::validate and run exactly as the CLI does, and sends summary.json's text back through a pipe. No other
// report file is written (a sweep keeps only the summary).
#pragma once
#include <string>

#include "sim/config/sim_config.hpp"

namespace nvfp4::sim {

// summary.json of `nvfp4sim run --arch <config> --workload <workload_path>` (RunInfo names `arch_name`). A refusal
// of the configuration or workload throws nvfp4::Error with the simulator's message; a child that dies throws too.
std::string run_summary_in_child(const SimConfig& config, const std::string& workload_path,
                                 const std::string& arch_name);

}  // namespace nvfp4::sim
