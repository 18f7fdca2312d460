#include "sim/run/datapath_report.hpp"

#include <fstream>

#include "numerics/error.hpp"

namespace nvfp4::sim {

int write_datapath_csv(const std::string& path, const Simulation& sim) {
  std::ofstream out(path);
  if (!out) throw Error(path + ": cannot write");
  out << "layer,name,datapath,outputs,bits,mismatches,result,first_mismatch\n";
  int failed = 0;
  for (size_t i = 0; i < sim.results().size(); ++i) {
    const DatapathCheck& c = sim.results()[i].datapath;
    const char* result = c.pass() ? "equal" : c.mismatches ? "MISMATCH" : "ALL-ZERO";
    failed += c.pass() ? 0 : 1;
    out << i << ",\"" << sim.layers()[i].name << "\",engine," << c.outputs << ',' << c.outputs * 32 << ','
        << c.mismatches << ',' << result << ",\"" << c.first << "\"\n";
  }
  if (!out) throw Error(path + ": cannot write");
  return failed;
}

}  // namespace nvfp4::sim
