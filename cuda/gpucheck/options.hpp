// Command line of nvfp4-gpucheck (see --help and docs/cuda.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "numerics/gemm.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/workload.hpp"

namespace nvfp4::gpucheck {

struct Options {
  std::string workload;         // CSV of GEMM rows
  std::string replay_dir;       // a replay set of nvfp4sim --save-operands (numerics/replay.hpp)
  std::string a_path, b_path;   // float tensors (.npy or file.npz:member): A is M x K, B is N x K
  std::string name = "tensors"; // layer name when tensors come from files
  QuantSpec spec_a, spec_b;     // B differs from A by --weights-2d and --weight-scheme
  std::vector<AccumPolicy> policies;
  std::string out_dir;          // GPU outputs (.npz/.npy) and report.json; nothing written when empty
  uint64_t data_seed = workload::kDefaultSeed;
  std::string activations = workload::kDefaultActivations;  // tensor sources of rows that name none
  std::string weights = workload::kDefaultWeights;
  int64_t golden_macs = int64_t{1} << 33;  // above this, the golden GEMM checks a sample of rows
  int64_t golden_rows = 96;
  int repeat = 5;               // timed GEMM/quantize iterations
  bool skip_without_gpu = false;
  bool native = false;          // Blackwell cuBLASLt path
  bool no_gemm = false;         // quantize/dequantize checks only
  std::string command;
};

// Throws nvfp4::Error naming the bad option. Returns false when --help was printed.
bool parse_options(int argc, char** argv, Options& o);
void print_help();

}  // namespace nvfp4::gpucheck
