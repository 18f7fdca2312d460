// Workload tables (docs/sim.md, "Workloads"), read with libfccp. Three formats, told apart by the header:
//  native:        name,type,M,N,K,batch,ifmap_h,ifmap_w,channels,filter_h,filter_w,num_filters,stride,padding,
//                 activations,weights   (type gemm | conv; unused cells empty; only name and type are required columns)
//  SCALE-Sim conv: "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"
//                 (SCALE-Sim's own lowering: no padding, ofmap = ceil((H - R + s) / s), as in its topology_utils.py)
//  SCALE-Sim GEMM: "Layer, M, N, K,"
// Every problem is an nvfp4::Error naming the file and line.
#pragma once
#include <string>
#include <vector>

#include "sim/workload/layer.hpp"

namespace nvfp4::sim {

std::vector<Layer> read_workload_csv(const std::string& path);

}  // namespace nvfp4::sim
