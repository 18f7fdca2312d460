#include "cuda/gpucheck/report.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "numerics/error.hpp"

namespace nvfp4::gpucheck {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      o += buf;
    } else {
      o += c;
    }
  }
  return "\"" + o + "\"";
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

bool RunReport::pass() const { return failed_checks() == 0 && checks() > 0; }
int64_t RunReport::checks() const {
  int64_t n = 0;
  for (const auto& l : layers) n += static_cast<int64_t>(l.checks.size());
  return n;
}
int64_t RunReport::failed_checks() const {
  int64_t n = 0;
  for (const auto& l : layers)
    for (const auto& c : l.checks) n += (c.pass() && !c.trivially_zero()) ? 0 : 1;
  return n;
}

void write_report_json(const std::string& path, const RunReport& r) {
  std::ostringstream o;
  o << "{\n  \"tool\": \"nvfp4-gpucheck\",\n  \"command\": " << esc(r.command) << ",\n";
  o << "  \"device\": {\"name\": " << esc(r.device.name) << ", \"compute_capability\": \"" << r.device.cc_major << "."
    << r.device.cc_minor << "\", \"multiprocessors\": " << r.device.multiprocessors
    << ", \"memory_bytes\": " << r.device.global_memory_bytes << ", \"driver_version\": " << r.device.driver_version
    << ", \"runtime_version\": " << r.device.runtime_version
    << ", \"kernel_driver\": " << esc(r.device.kernel_driver) << "},\n";
  o << "  \"spec_a\": " << esc(r.spec_a) << ",\n  \"spec_b\": " << esc(r.spec_b) << ",\n  \"policies\": [";
  for (size_t i = 0; i < r.policies.size(); ++i) o << (i ? ", " : "") << esc(r.policies[i]);
  o << "],\n  \"kernels\": [";
  for (size_t i = 0; i < r.kernels.size(); ++i) o << (i ? ", " : "") << esc(r.kernels[i]);
  o << "],\n";
  if (!r.replay_dir.empty())
    o << "  \"replay\": {\"dir\": " << esc(r.replay_dir) << ", \"simulator_summary\": "
      << (r.simulator_summary.empty() ? std::string("null") : r.simulator_summary) << "},\n";
  o << "  \"layers\": [\n";
  for (size_t li = 0; li < r.layers.size(); ++li) {
    const LayerReport& l = r.layers[li];
    o << "    {\"name\": " << esc(l.name) << ", \"M\": " << l.m << ", \"N\": " << l.n << ", \"K\": " << l.k
      << ", \"golden_rows_checked\": " << l.golden_rows_checked << ", \"quantize_ms\": " << num(l.quantize_ms)
      << ", \"quantize_input_GBps\": " << num(l.quantize_gbps) << ", \"gemm_prepare_ms\": " << num(l.prepare_ms)
      << ", \"gemm\": [";
    for (size_t i = 0; i < l.gemm_ms.size(); ++i) {
      const double tflops = l.gemm_ms[i].second > 0 ? 2.0 * l.m * l.n * l.k / (l.gemm_ms[i].second * 1e9) : 0.0;
      o << (i ? ", " : "") << "{\"policy\": " << esc(l.gemm_ms[i].first) << ", \"ms\": " << num(l.gemm_ms[i].second)
        << ", \"TFLOPs\": " << num(tflops) << "}";
    }
    o << "],\n     \"checks\": [";
    for (size_t i = 0; i < l.checks.size(); ++i) {
      const CompareResult& c = l.checks[i];
      o << (i ? ",\n                " : "") << "{\"what\": " << esc(c.what) << ", \"elements\": " << c.elements
        << ", \"mismatches\": " << c.mismatches << ", \"nonzero\": " << c.nonzero
        << ", \"pass\": " << ((c.pass() && !c.trivially_zero()) ? "true" : "false");
      if (!c.first.empty()) o << ", \"first_mismatch\": " << esc(c.first);
      o << "}";
    }
    o << "]}" << (li + 1 < r.layers.size() ? "," : "") << "\n";
  }
  o << "  ],\n  \"checks\": " << r.checks() << ",\n  \"failed_checks\": " << r.failed_checks()
    << ",\n  \"result\": \"" << (r.pass() ? "pass" : "fail") << "\"\n}\n";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f) throw Error("cannot write report '" + tmp + "'");
    f << o.str();
    if (!f.flush()) throw Error("cannot write report '" + tmp + "'");
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace nvfp4::gpucheck
