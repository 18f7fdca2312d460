#include "sim/run/rtl_report.hpp"

#include <fstream>
#include <sstream>

#include "numerics/error.hpp"
#include "sim/run/json_text.hpp"

namespace nvfp4::sim {

bool RtlReport::cycles_explained(const RtlLayerCheck& l) const {
  if (l.folds_checked == 0) return true;
  return l.latency >= 0 &&
         l.rtl_cycles - l.model_cycles == l.folds_checked * (l.latency - model_latency) - l.edge_cycles;
}

int RtlReport::failures() const {
  int n = 0;
  for (const RtlLayerCheck& l : layers) n += l.equal() && cycles_explained(l) ? 0 : 1;
  return n;
}

namespace {
const char* result_of(const RtlReport& r, const RtlLayerCheck& l) {
  if (l.mismatches) return "MISMATCH";
  if (!l.equal()) return "ALL-ZERO";
  return r.cycles_explained(l) ? "equal" : "CYCLES";
}
}  // namespace

std::string rtl_cycle_reason(const RtlReport& r, const RtlLayerCheck& l) {
  std::ostringstream s;
  const int64_t diff = l.rtl_cycles - l.model_cycles;
  if (l.latency < 0) {
    s << "the RTL latency after a fold's last beat is not the same in every fold: not explained";
    return s.str();
  }
  if (diff == 0 && l.edge_cycles == 0 && l.latency == r.model_latency) {
    s << "equal: RTL latency " << l.latency << " = P - 1";
    return s.str();
  }
  s << "RTL latency " << l.latency;
  if (l.latency == r.model_latency) s << " = P - 1";
  else
    s << " vs the model's P - 1 = " << r.model_latency << " (" << (l.latency > r.model_latency ? "+" : "")
      << l.latency - r.model_latency << " per fold)";
  if (l.edge_cycles)
    s << "; partial folds: the model charges the full array skew R + C - 2, the RTL's last result comes from the "
         "last engine in use (" << l.edge_cycles << " cycles less)";
  if (!r.cycles_explained(l)) s << "; NOT explained by these";
  return s.str();
}

void write_rtl_csv(const std::string& path, const RtlReport& r) {
  std::ofstream out(path);
  if (!out) throw Error(path + ": cannot write");
  out << "layer,name,folds,folds_checked,outputs,bits,mismatches,result,rtl_cycles,model_cycles,rtl_latency,"
         "model_latency,edge_cycles,first_mismatch\n";
  for (const RtlLayerCheck& l : r.layers)
    out << l.layer << ",\"" << l.name << "\"," << l.folds << ',' << l.folds_checked << ',' << l.outputs << ','
        << l.outputs * 32 << ',' << l.mismatches << ',' << result_of(r, l) << ',' << l.rtl_cycles << ','
        << l.model_cycles << ',' << l.latency << ',' << r.model_latency << ',' << l.edge_cycles << ",\"" << l.first
        << "\"\n";
  if (!out) throw Error(path + ": write failed");
}

std::string rtl_json(const RtlReport& r) {
  std::ostringstream s;
  s << "{\"engine\": " << json_string(r.engine) << ", \"folds_per_layer\": " << r.sample
    << ", \"model_latency\": " << r.model_latency << ", \"failures\": " << r.failures() << ", \"layers\": [";
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const RtlLayerCheck& l = r.layers[i];
    s << (i ? ",\n    " : "\n    ") << "{\"layer\": " << l.layer << ", \"name\": " << json_string(l.name)
      << ", \"folds\": " << l.folds << ", \"folds_checked\": " << l.folds_checked << ", \"outputs\": " << l.outputs
      << ", \"bits_compared\": " << l.outputs * 32 << ", \"mismatches\": " << l.mismatches
      << ", \"equal\": " << (l.equal() ? "true" : "false") << ", \"first_mismatch\": " << json_string(l.first)
      << ", \"rtl_cycles\": " << l.rtl_cycles << ", \"model_cycles\": " << l.model_cycles
      << ", \"rtl_latency\": " << l.latency << ", \"edge_cycles\": " << l.edge_cycles
      << ", \"cycles_explained\": " << (r.cycles_explained(l) ? "true" : "false")
      << ", \"cycle_difference\": " << json_string(rtl_cycle_reason(r, l)) << "}";
  }
  s << "]}";
  return s.str();
}

std::string rtl_text(const RtlReport& r) {
  std::ostringstream s;
  s << "  RTL      " << r.engine << ", up to " << r.sample << " folds per layer on the simulator's schedule:\n";
  for (const RtlLayerCheck& l : r.layers) {
    s << "    " << l.name << ": " << result_of(r, l) << ", " << l.folds_checked << " of " << l.folds << " folds, "
      << l.outputs * 32 << " bits; cycles rtl " << l.rtl_cycles << " model " << l.model_cycles << " ("
      << rtl_cycle_reason(r, l) << ")\n";
    if (l.mismatches) s << "      first mismatch " << l.first << "\n";
  }
  return s.str();
}

}  // namespace nvfp4::sim
