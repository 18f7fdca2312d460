// DIR/datapath.csv of a --datapath engine run: per layer, the outputs the engine computed compared bit for bit with
// the golden GEMM (layer,name,datapath,outputs,bits,mismatches,result,first_mismatch).
#pragma once
#include <string>

#include "sim/run/simulation.hpp"

namespace nvfp4::sim {

// Returns the number of layers whose engine outputs differ from the golden GEMM (or are all zero).
int write_datapath_csv(const std::string& path, const Simulation& sim);

}  // namespace nvfp4::sim
