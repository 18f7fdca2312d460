// The JSON report of one nvfp4-gpucheck run (device, driver, kernels, shapes, throughput, every comparison, result).
// Written to a temporary name and renamed at the end, so a report that exists is complete.
#pragma once
#include <string>
#include <vector>

#include "cuda/gpu.hpp"
#include "cuda/gpucheck/compare.hpp"

namespace nvfp4::gpucheck {

struct LayerReport {
  std::string name;
  int64_t m = 0, n = 0, k = 0;
  int64_t golden_rows_checked = 0;        // rows of D compared with the golden GEMM (m when all)
  double quantize_ms = 0, quantize_gbps = 0;
  std::vector<std::pair<std::string, double>> gemm_ms;  // policy -> kernel time (prepare excluded)
  double prepare_ms = 0;
  std::vector<CompareResult> checks;
};

struct RunReport {
  gpu::DeviceInfo device;
  std::string command;
  std::string spec_a, spec_b;
  std::vector<std::string> policies;
  std::vector<std::string> kernels;
  std::vector<LayerReport> layers;
  std::string replay_dir;         // --replay: the replay set
  std::string simulator_summary;  // --replay: the simulator's summary.json, verbatim (empty when absent)
  bool pass() const;
  int64_t checks() const;
  int64_t failed_checks() const;
};

void write_report_json(const std::string& path, const RunReport& r);

}  // namespace nvfp4::gpucheck
