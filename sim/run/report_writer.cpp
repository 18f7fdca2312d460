#include "sim/run/report_writer.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "numerics/replay.hpp"
#include "numerics/error.hpp"
#include "numerics/npy.hpp"
#include "numerics/version.hpp"
#include "sim/energy/sram_pricing.hpp"
#include "sim/model/residency.hpp"
#include "sim/run/json_text.hpp"
#include "sim/run/rtl_report.hpp"

namespace fs = std::filesystem;

namespace nvfp4::sim {
namespace {

std::ofstream open_out(const std::string& path) {
  std::ofstream out(path);
  if (!out) throw Error(path + ": cannot write");
  out << std::setprecision(10);
  return out;
}

std::string csv_num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "nan";
  std::ostringstream s;
  s << std::setprecision(10) << v;
  return s.str();
}

struct Totals {
  int64_t macs = 0, cycles = 0, compute = 0, stalls = 0;
  ActionCounts counts;
  Breakdown energy;
  FaultCounts faults;
  double sqnr_min = INFINITY, sqnr_sum = 0;
  int64_t sqnr_n = 0, nonfinite = 0;
};

Totals totals(const Simulation& sim) {
  Totals t;
  t.energy = sim.energy_model().energy_pj(ActionCounts{});
  for (const auto& r : sim.results()) {
    t.macs += r.timing.macs;
    t.cycles += r.timing.cycles;
    t.compute += r.timing.compute_cycles;
    t.stalls += r.timing.stall_cycles;
    t.counts += r.counts;
    t.faults += r.faults;
    for (size_t i = 0; i < t.energy.size(); ++i) t.energy[i].second += r.energy_pj[i].second;
    if (r.has_sqnr) {
      t.sqnr_min = std::min(t.sqnr_min, r.sqnr.db);
      if (std::isfinite(r.sqnr.db)) {
        t.sqnr_sum += r.sqnr.db;
        ++t.sqnr_n;
      }
      t.nonfinite += r.sqnr.nonfinite;
    }
  }
  // Retention of pinned data between inferences (steady regime with an inference rate): per inference, not per layer.
  t.energy.emplace_back("leakage_retention", sim.steady().retention_pj);
  return t;
}

std::string json_breakdown(const Breakdown& b) {
  std::string o = "{";
  for (const auto& [n, v] : b) o += json_string(n) + ": " + num(v) + ", ";
  return o + "\"total\": " + num(total(b)) + "}";
}

// How the SQNR figures were obtained (summary.json "sqnr_reference", the text summary).
std::string sqnr_reference_label(const SimConfig& c) {
  if (!c.run.float_reference) return "none";
  if (c.run.float_reference_rows == 0) return "exact: every output row";
  return "estimate: " + std::to_string(c.run.float_reference_rows) +
         " output rows per layer (systematic sample; layers.csv sqnr_rows, sqnr_se_db)";
}

int64_t peak_macs_per_cycle(const ArraySpec& a) { return int64_t{a.rows} * a.cols * a.lanes; }

// The SRAM model's pricing of every bank part, with provenance, for every output that carries energies.
std::vector<SramPart> all_sram_parts(const Simulation& sim) {
  std::vector<SramPart> out;
  for (int i = 0; i < kBankCount; ++i)
    for (SramPart& p : sram_parts(sim.energy_model().sram_model(), sim.config().arch, static_cast<BankId>(i)))
      out.push_back(std::move(p));
  return out;
}

std::string sram_label(const Simulation& sim) {
  return sram_provenance_label(sim.energy_model().sram_model(), sim.config().arch);
}

// The lanes' product-table storage: its price per action with provenance, its load, and its faults (summary.json).
std::string lut_storage_json(const Simulation& sim) {
  const ArraySpec& x = sim.config().arch.array;
  const LutStorageCost& l = sim.energy_model().lut_storage();
  const LutLoad& load = sim.steady().residency.lut;
  const LutReadback& f = sim.lut_readback();
  int64_t changed = 0;
  for (const LayerResult& r : sim.results()) changed += r.lut_changed_outputs;
  std::ostringstream o;
  o << "{\"storage\": " << json_string(l.storage) << ", \"voltage_v\": " << num(l.voltage_v) << ", \"ecc\": "
    << json_string(x.lut_ecc) << ", \"copies\": " << l.copies << ", \"words\": " << l.words << ", \"entry_bits\": "
    << l.data_bits << ", \"stored_bits\": " << l.stored_bits << ", \"lookups_per_product\": " << l.lookups_per_product
    << ", \"read_pj\": " << num(l.read_pj) << ", \"write_pj\": " << num(l.write_pj) << ", \"leakage_uw\": "
    << num(l.leakage_uw) << ", \"area_um2\": " << num(l.area_um2) << ", \"provenance\": " << json_string(l.provenance)
    << ",\n    \"load\": {\"when\": " << json_string(load.when) << ", \"image_bits\": " << load.image_bits
    << ", \"words_written\": " << load.words_written << "}, \"faults\": {\"injected\": "
    << (f.injected ? "true" : "false") << ", \"bit_error_rate\": " << num(f.bit_error_rate) << ", \"entries\": "
    << f.entries << ", \"faulty_entries\": " << f.faulty_entries << ", \"raw_bit_errors\": " << f.counts.raw_bit_errors
    << ", \"corrected_bits\": " << f.counts.corrected_bits << ", \"due_bits\": " << f.counts.due_bits
    << ", \"silent_bit_errors\": " << f.counts.silent_bit_errors << ", \"changed_outputs\": " << changed << "}}";
  return o.str();
}

}  // namespace

void OutputFolder::discard_summary(const std::string& dir) {
  std::error_code ec;
  const fs::path summary = fs::path(dir) / "summary.json";
  if (fs::exists(summary, ec) && !fs::remove(summary, ec))
    throw Error(summary.string() + ": cannot remove the previous run's summary (" + ec.message() + ")");
}

void OutputFolder::remove_stale_partials(const std::string& dir, std::ostream& log) {
  static const std::string prefix = ".nvfp4sim-partial-";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    char* end = nullptr;
    const long pid = std::strtol(pid_text.c_str(), &end, 10);
    if (pid_text.empty() || *end != '\0' || pid <= 0) continue;
    if (pid == getpid() || kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive: not ours
    std::error_code rm;
    fs::remove_all(e.path(), rm);
    log << "nvfp4sim: " << (rm ? "could not remove " : "removed ") << e.path().string()
        << ", left by a run that did not finish (process " << pid << " is gone)\n";
  }
}

OutputFolder::OutputFolder(std::string dir, std::ostream* log) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (!fs::is_directory(dir_)) throw Error(dir_ + ": cannot create the output folder");
  discard_summary(dir_);
  if (log) remove_stale_partials(dir_, *log);
  tmp_ = (fs::path(dir_) / (".nvfp4sim-partial-" + std::to_string(getpid()))).string();
  fs::remove_all(tmp_, ec);
  fs::create_directories(fs::path(tmp_) / "outputs");
}

OutputFolder::~OutputFolder() {
  std::error_code ec;
  fs::remove_all(tmp_, ec);
}

std::string OutputFolder::partial(const std::string& name) const { return (fs::path(tmp_) / name).string(); }

void OutputFolder::commit() {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(tmp_))
    if (e.is_regular_file() && e.path().filename() != "summary.json") files.push_back(e.path());
  for (const auto& f : files) {
    const fs::path dest = fs::path(dir_) / fs::relative(f, tmp_);
    fs::create_directories(dest.parent_path());
    fs::rename(f, dest);
  }
  if (fs::exists(partial("summary.json"))) fs::rename(partial("summary.json"), fs::path(dir_) / "summary.json");
}

void write_layers_csv(const std::string& path, const Simulation& sim) {
  std::ofstream out = open_out(path);
  const ArraySpec& a = sim.config().arch.array;
  out << "index,name,type,M,N,K,macs,folds,cycles,compute_cycles,stall_cycles,prologue_cycles,utilization,time_us,"
         "lane_multiplies,adder_tree_adds,scale_unit_ops,accumulator_updates";
  for (auto b : kBankNames) out << ",sram_" << b << "_read_words,sram_" << b << "_write_words";
  out << ",ecc_encodes,ecc_decodes,offchip_bits";
  const Breakdown names = sim.energy_model().energy_pj(ActionCounts{});
  for (const auto& [n, v] : names) out << ",energy_pj_" << n;
  out << ",energy_pj_total,sqnr_db,nonfinite_outputs,fault_bits_stored,fault_raw_bit_errors,fault_corrected_bits,"
         "fault_due_bits,fault_silent_bit_errors,weights_residency,input_residency,output_residency,"
         "sram_energy_provenance,sqnr_rows,sqnr_se_db\n";
  const std::string sram = sram_label(sim);
  for (size_t i = 0; i < sim.results().size(); ++i) {
    const Layer& l = sim.layers()[i];
    const LayerResult& r = sim.results()[i];
    const LayerTiming& t = r.timing;
    const ActionCounts& c = r.counts;
    uint64_t enc = 0, dec = 0;
    for (const auto& b : c.banks) enc += b.ecc_encodes, dec += b.ecc_decodes;
    out << i << ',' << l.name << ',' << (l.kind == Layer::Kind::Conv ? "conv" : "gemm") << ',' << l.M << ',' << l.N
        << ',' << l.K << ',' << t.macs << ',' << t.folds << ',' << t.cycles << ',' << t.compute_cycles << ','
        << t.stall_cycles << ',' << t.prologue_cycles << ','
        << csv_num(t.cycles ? static_cast<double>(t.macs) / (static_cast<double>(t.cycles) * peak_macs_per_cycle(a))
                            : 0.0)
        << ',' << csv_num(t.cycles * sim.clock_ns() / 1e3) << ',' << c.lane_multiplies << ',' << c.adder_tree_adds
        << ',' << c.scale_unit_ops << ',' << c.accumulator_updates;
    for (const auto& b : c.banks) out << ',' << b.read_words << ',' << b.write_words;
    out << ',' << enc << ',' << dec << ',' << c.offchip_bits;
    for (const auto& [n, v] : r.energy_pj) out << ',' << csv_num(v);
    out << ',' << csv_num(total(r.energy_pj)) << ',' << (r.has_sqnr ? csv_num(r.sqnr.db) : "") << ','
        << r.sqnr.nonfinite << ',' << r.faults.bits_stored << ',' << r.faults.raw_bit_errors << ','
        << r.faults.corrected_bits << ',' << r.faults.due_bits << ',' << r.faults.silent_bit_errors << ','
        << weights_residency(sim.plans()[i]) << ','
        << input_residency(sim.plans()[i]) << ',' << output_residency(sim.plans()[i]) << ',' << sram << ','
        << (r.has_sqnr ? std::to_string(r.sqnr.rows) : "") << ',' << (r.has_sqnr ? csv_num(r.sqnr.se_db) : "") << '\n';
  }
  if (!out) throw Error(path + ": write failed");
}

void write_summary_json(const std::string& path, const Simulation& sim, const RunInfo& info) {
  std::ofstream out = open_out(path);
  write_summary_json(out, sim, info);
  if (!out) throw Error(path + ": write failed");
}

void write_summary_json(std::ostream& out, const Simulation& sim, const RunInfo& info) {
  const Totals t = totals(sim);
  const SimConfig& c = sim.config();
  const ArraySpec& a = c.arch.array;
  const Breakdown area = sim.energy_model().area_um2();
  out << "{\n  \"format\": \"nvfp4sim-summary\",\n  \"format_version\": 1,\n";
  out << "  \"tool_version\": " << json_string(std::string(version())) << ",\n";
  out << "  \"arch_file\": " << json_string(info.arch_path) << ",\n";
  out << "  \"workload_file\": " << json_string(info.workload_path) << ",\n";
  out << "  \"design\": " << json_string(c.arch.name) << ",\n";
  out << "  \"array\": {\"rows\": " << a.rows << ", \"cols\": " << a.cols << ", \"lanes\": " << a.lanes
      << ", \"dataflow\": " << json_string(a.dataflow) << ", \"multiplier\": " << json_string(a.multiplier)
      << ", \"accumulator\": " << json_string(a.accumulator.name()) << "},\n";
  out << "  \"clock_mhz\": " << num(c.arch.clock_mhz) << ",\n";
  out << "  \"layers\": " << sim.results().size() << ",\n";
  out << "  \"macs\": " << t.macs << ",\n";
  out << "  \"cycles\": " << t.cycles << ",\n  \"compute_cycles\": " << t.compute << ",\n  \"stall_cycles\": "
      << t.stalls << ",\n";
  out << "  \"utilization\": "
      << num(t.cycles ? static_cast<double>(t.macs) / (static_cast<double>(t.cycles) * peak_macs_per_cycle(a)) : 0)
      << ",\n";
  out << "  \"time_us\": " << num(t.cycles * sim.clock_ns() / 1e3) << ",\n";
  const SteadyState& st = sim.steady();
  const double load_pj = total(st.load.energy_pj);
  out << "  \"energy_pj\": " << json_breakdown(t.energy) << ",\n";
  out << "  \"energy_per_inference_uj\": " << num(total(t.energy) * 1e-6) << ",\n";
  out << "  \"energy_per_inference_amortized_uj\": " << num((total(t.energy) + load_pj / c.run.inferences) * 1e-6)
      << ",\n";
  out << "  \"residency\": {\"policy\": " << json_string(c.run.residency) << ", \"inferences\": " << c.run.inferences
      << ", \"inference_rate_hz\": " << num(c.run.inference_rate_hz) << ", \"pinned_layers\": "
      << st.residency.pinned_layers << ", \"pinned_weight_bits\": " << st.residency.pinned_weight_bits
      << ", \"pinned_scale_bits\": " << st.residency.pinned_scale_bits << ", \"outputs_on_chip\": "
      << st.residency.chained_layers << ",\n    \"load\": {\"cycles\": " << st.load.timing.cycles
      << ", \"time_us\": " << num(st.load.timing.cycles * sim.clock_ns() / 1e3) << ", \"offchip_bits\": "
      << st.load.counts.offchip_bits << ", \"energy_pj\": " << json_breakdown(st.load.energy_pj)
      << ", \"energy_uj\": " << num(load_pj * 1e-6) << "},\n    \"retention\": {\"power_uw\": "
      << num(st.retention_power_uw) << ", \"inference_seconds\": " << num(st.inference_seconds)
      << ", \"idle_seconds_per_inference\": " << num(st.idle_seconds) << ", \"rate_met\": "
      << (st.rate_met ? "true" : "false") << ", \"energy_pj_per_inference\": " << num(st.retention_pj)
      << "},\n    \"layers\": [";
  for (size_t i = 0; i < sim.plans().size(); ++i)
    out << (i ? ", " : "") << "{\"name\": " << json_string(sim.layers()[i].name) << ", \"weights\": "
        << json_string(weights_residency(sim.plans()[i])) << ", \"input\": "
        << json_string(input_residency(sim.plans()[i])) << ", \"output\": "
        << json_string(output_residency(sim.plans()[i])) << "}";
  out << "]},\n";
  out << "  \"energy_per_mac_pj\": " << num(t.macs ? total(t.energy) / t.macs : 0) << ",\n";
  out << "  \"area_um2\": {";
  for (const auto& [n, v] : area) out << json_string(n) << ": " << num(v) << ", ";
  out << "\"total\": " << num(total(area)) << "},\n";
  out << "  \"area_source\": " << json_string(sim.energy_model().area_source()) << ",\n";
  out << "  \"technology_table\": " << json_string(c.arch.technology) << ",\n";
  out << "  \"logic_voltage_provenance\": "
      << json_string(sim.energy_model().table().voltage_provenance("lane_multiply", sim.energy_model().multiplier_variant(),
                                                                   a.voltage_v))
      << ",\n";
  out << "  \"logic_rows\": [";  // every technology-table row the datapath is priced from, with its source
  {
    const std::vector<std::string> rows = sim.energy_model().logic_rows();
    for (size_t i = 0; i < rows.size(); ++i) out << (i ? ", " : "") << json_string(rows[i]);
  }
  out << "],\n";
  out << "  \"sram_model\": {\"preset\": " << json_string(c.arch.sram_technology)
      << ", \"model\": " << json_string(sim.energy_model().sram_model().describe()) << ", \"banks\": [";
  bool first = true;
  for (const SramPart& p : all_sram_parts(sim)) {
    out << (first ? "" : ", ") << "{\"bank\": " << json_string(p.bank) << ", \"region\": " << json_string(p.region)
        << ", \"access_fraction\": " << num(p.access_fraction) << ", \"voltage_v\": " << num(p.voltage_v)
        << ", \"word_bits\": " << p.word_bits << ", \"read_pj\": " << num(p.cost.read_pj) << ", \"write_pj\": "
        << num(p.cost.write_pj) << ", \"leakage_uw\": " << num(p.cost.leakage_uw) << ", \"provenance\": "
        << json_string(std::string(ecc::to_string(p.cost.provenance))) << ", \"detail\": " << json_string(p.cost.detail)
        << "}";
    first = false;
  }
  out << "]},\n";
  out << "  \"lut_storage\": " << lut_storage_json(sim) << ",\n";
  if (info.rtl) out << "  \"rtl\": " << rtl_json(*info.rtl) << ",\n";
  out << "  \"sqnr_db_min\": " << num(t.sqnr_min) << ",\n";
  out << "  \"sqnr_db_mean\": " << num(t.sqnr_n ? t.sqnr_sum / t.sqnr_n : NAN) << ",\n";
  out << "  \"nonfinite_outputs\": " << t.nonfinite << ",\n";
  // The SQNR figures are estimates when the reference covers a sample of each layer's output rows.
  out << "  \"sqnr_reference\": " << json_string(sqnr_reference_label(c)) << ",\n";
  out << "  \"faults\": {\"enabled\": " << (c.run.faults ? "true" : "false") << ", \"bits_stored\": "
      << t.faults.bits_stored << ", \"raw_bit_errors\": " << t.faults.raw_bit_errors
      << ", \"corrected_bits\": " << t.faults.corrected_bits << ", \"due_bits\": " << t.faults.due_bits
      << ", \"silent_bit_errors\": " << t.faults.silent_bit_errors << "}\n}\n";
}

void write_host_json(const std::string& path, const Simulation& sim) {
  const Totals t = totals(sim);
  std::ofstream out = open_out(path);
  out << "{\n  \"threads\": " << sim.config().run.threads << ",\n";
  out << "  \"host_seconds\": " << num(sim.host_seconds()) << ",\n";
  out << "  \"host_cpu_seconds\": " << num(sim.host_cpu_seconds()) << ",\n";
  out << "  \"simulated_macs_per_host_second\": " << num(sim.host_seconds() > 0 ? t.macs / sim.host_seconds() : 0)
      << ",\n  \"layers\": [";
  for (size_t i = 0; i < sim.results().size(); ++i)
    out << (i ? ", " : "") << "{\"name\": " << json_string(sim.layers()[i].name)
        << ", \"host_seconds\": " << num(sim.results()[i].host_seconds)
        << ", \"host_cpu_seconds\": " << num(sim.results()[i].host_cpu_seconds) << "}";
  out << "]\n}\n";
  if (!out) throw Error(path + ": write failed");
}

void write_resolved_config(const std::string& path, const Simulation& sim) {
  std::ofstream out = open_out(path);
  YAML::Emitter e;
  e.SetDoublePrecision(12);
  e << sim.config().resolved;
  out << "# generated by nvfp4sim " << version() << ": the configuration this run used, defaults included.\n"
      << "# Re-run with: nvfp4sim run --arch resolved_config.yaml ... (paths are as resolved)\n"
      << e.c_str() << "\n";
}

void write_outputs(const OutputFolder& folder, const Simulation& sim) {
  for (size_t i = 0; i < sim.results().size(); ++i) {
    const Layer& l = sim.layers()[i];
    write_npy(folder.partial("outputs/" + replay::layer_stem(i, l.name) + ".npy"),
              from_float32(sim.results()[i].output, {l.M, l.N}));
  }
}

std::string summary_text(const Simulation& sim, const RunInfo& info, const std::string& out_dir) {
  const Totals t = totals(sim);
  const SimConfig& c = sim.config();
  const ArraySpec& a = c.arch.array;
  std::ostringstream s;
  s << std::fixed;
  s << "nvfp4sim: design '" << c.arch.name << "' (" << a.rows << "x" << a.cols << " engines x " << a.lanes
    << " lanes, " << a.dataflow << ", " << std::setprecision(0) << c.arch.clock_mhz << " MHz) on " << info.workload_path << ": "
    << sim.results().size() << " layers, " << std::setprecision(3) << t.macs / 1e9 << " GMAC\n";
  const double util = t.cycles ? static_cast<double>(t.macs) / (static_cast<double>(t.cycles) * peak_macs_per_cycle(a))
                               : 0;
  s << "  cycles   " << t.cycles << " (compute " << t.compute << ", stalls " << t.stalls << "), utilization "
    << std::setprecision(1) << util * 100 << "%, " << std::setprecision(3) << t.cycles * sim.clock_ns() / 1e6
    << " ms\n";
  const double e = total(t.energy);
  s << "  energy   " << std::setprecision(2) << e * 1e-6 << " uJ per inference (" << std::setprecision(3)
    << (t.macs ? e / t.macs : 0) << " pJ/MAC):";
  for (const auto& [n, v] : t.energy)
    if (e > 0 && v / e >= 0.005) s << " " << n << " " << std::setprecision(1) << 100 * v / e << "%";
  s << "\n";
  s << "  SRAM     " << c.arch.sram_technology << " (" << sram_label(sim) << ")\n";
  if (sim.energy_model().lut_storage().written)
    s << "  LUTs     " << sim.energy_model().lut_storage().provenance << "; loaded "
      << sim.steady().residency.lut.when << ", " << sim.lut_readback().faulty_entries << " faulty entries\n";
  const SteadyState& st = sim.steady();
  if (c.run.steady()) {
    s << "  regime   steady: weights of " << st.residency.pinned_layers << " of " << sim.results().size()
      << " layers pinned (" << std::setprecision(1) << st.residency.pinned_weight_bits / 8192.0 << " KiB), "
      << st.residency.chained_layers << " outputs kept on chip; one-time load " << std::setprecision(2)
      << total(st.load.energy_pj) * 1e-6 << " uJ, " << (e + total(st.load.energy_pj) / c.run.inferences) * 1e-6
      << " uJ per inference amortized over " << c.run.inferences << "\n";
    if (c.run.inference_rate_hz > 0)
      s << "  retain   pinned banks leak " << std::setprecision(1) << st.retention_power_uw << " uW: "
        << std::setprecision(3) << st.retention_pj * 1e-6 << " uJ per inference at " << std::setprecision(1)
        << c.run.inference_rate_hz << " inferences/s (" << std::setprecision(3) << st.idle_seconds * 1e3
        << " ms idle each; in the energy above)\n";
    if (!st.rate_met)
      s << "  warning  one inference (" << std::setprecision(3) << st.inference_seconds * 1e3
        << " ms) is longer than 1 / run.inference_rate_hz: inferences run back to back\n";
  } else {
    s << "  regime   cold: every inference loads its weights and activations from off-chip memory\n";
  }
  if (t.sqnr_n || std::isfinite(t.sqnr_min))
    s << "  SQNR     min " << std::setprecision(2) << t.sqnr_min << " dB, mean "
      << (t.sqnr_n ? t.sqnr_sum / t.sqnr_n : NAN) << " dB vs float ("
      << (c.run.float_reference_rows > 0 ? sqnr_reference_label(c) + "; " : "") << "faults "
      << (c.run.faults ? "on" : "off")
      << ": " << t.faults.raw_bit_errors << " raw bit errors, " << t.faults.corrected_bits << " corrected, "
      << t.faults.silent_bit_errors << " silent)\n";
  if (info.rtl) s << rtl_text(*info.rtl);
  s << "  host     " << std::setprecision(2) << sim.host_seconds() << " s wall, " << sim.host_cpu_seconds()
    << " s CPU (" << std::setprecision(1)
    << (sim.host_cpu_seconds() > 0 ? t.macs / sim.host_cpu_seconds() / 1e6 : 0) << " M simulated MAC per CPU second)\n";
  s << "  wrote    " << out_dir << "/{layers.csv,summary.json,resolved_config.yaml,host.json}\n";
  return s.str();
}

}  // namespace nvfp4::sim
