#include "sim/energy/energy_model.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "ecc/sram_presets.hpp"
#include "lut/multiplier_styles.hpp"
#include "sim/config/bank_protection.hpp"
#include "sim/energy/sram_pricing.hpp"
#include "sim/energy/synth_area.hpp"

namespace nvfp4::sim {

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  lane_multiplies += o.lane_multiplies;
  lane_multiplies_observed += o.lane_multiplies_observed;
  lane_multiplies_zero_operand += o.lane_multiplies_zero_operand;
  lut_words_written += o.lut_words_written;
  adder_tree_adds += o.adder_tree_adds;
  scale_unit_ops += o.scale_unit_ops;
  accumulator_updates += o.accumulator_updates;
  for (int i = 0; i < kBankCount; ++i) banks[i] += o.banks[i];
  offchip_bits += o.offchip_bits;
  cycles += o.cycles;
  return *this;
}

double total(const Breakdown& b) {
  double s = 0;
  for (const auto& [name, v] : b) s += v;
  return s;
}

EnergyModel::EnergyModel(const SimConfig& config, TechTable table)
    : config_(config), table_(std::move(table)), sram_(ecc::sram_preset(config.arch.sram_technology).energy) {
  std::optional<TechTable> cells;
  if (config.arch.array.lut_storage == "latch") cells = TechTable::load(config.arch.lut_cells);
  lut_ = price_lut_storage(config.arch, *sram_, table_, cells ? &*cells : nullptr);
}

std::string EnergyModel::multiplier_variant() const {
  const ArraySpec& x = config_.arch.array;
  return lut::parse_multiplier_style(x.multiplier).technology_variant(lut::weight_format_of(x.weight_format));
}

std::string EnergyModel::tree_variant() const {
  const ArraySpec& x = config_.arch.array;
  return table_.keyed_by_engine("adder_tree_add")
             ? "L" + std::to_string(x.lanes) + "/" + std::string(to_string(x.weight_format))
             : "int16";
}

std::string EnergyModel::scale_variant() const {
  const ArraySpec& x = config_.arch.array;
  return table_.keyed_by_engine("scale_unit_op") ? "L" + std::to_string(x.lanes) + "/" +
                                                       std::string(to_string(x.weight_format)) + "/" +
                                                       accumulator_variant()
                                                 : "ue4m3";
}

std::string EnergyModel::accumulator_variant() const {
  return config_.arch.array.accumulator.kind == AccumPolicy::Kind::Fixed ? "fixed32" : "fp32";
}

std::pair<std::string, double> EnergyModel::ecc_variant(int word_bits) const {
  const std::string own = "secded" + std::to_string(word_bits);
  if (table_.has_row("ecc_encode", own) && table_.has_row("ecc_decode", own)) return {own, 1.0};
  return {"secded64", word_bits / 64.0};
}

std::vector<std::string> EnergyModel::logic_rows() const {
  const double v = config_.arch.array.voltage_v;
  std::vector<std::string> out;
  auto add = [&](const std::string& c, const std::string& var, const std::string& note) {
    const std::string line = c + " " + var + note + ": " + table_.row(c, var, v).source;
    if (std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
  };
  add("lane_multiply", multiplier_variant(), "");
  add("adder_tree_add", tree_variant(), "");
  add("scale_unit_op", scale_variant(), "");
  add("accumulate", accumulator_variant(), "");
  for (int i = 0; i < kBankCount; ++i) {
    if (protected_fraction(config_.arch, static_cast<BankId>(i)) <= 0) continue;
    const int w = bank_config(config_.arch, static_cast<BankId>(i)).word_bits;
    const auto [var, scale] = ecc_variant(w);
    const std::string note = scale == 1.0 ? "" : " x " + std::to_string(w) + "/64 (no secded" + std::to_string(w) + " row)";
    add("ecc_encode", var, note);
    add("ecc_decode", var, note);
  }
  add("controller", "-", "");
  return out;
}

Breakdown EnergyModel::energy_pj(const ActionCounts& c) const {
  const ArchSpec& a = config_.arch;
  const double v = a.array.voltage_v;
  const bool fixed = a.array.accumulator.kind == AccumPolicy::Kind::Fixed;
  const double acc_scale = fixed ? a.array.accumulator.width / 32.0 : 1.0;
  Breakdown b;
  // Observed products use the characterized dependence on zero operands; the rest the table's mean energy.
  const uint64_t observed = std::min(c.lane_multiplies_observed, c.lane_multiplies);
  b.emplace_back("lane_multipliers",
                 table_.energy_pj_with_zeros("lane_multiply", multiplier_variant(), v, double(observed),
                                             double(c.lane_multiplies_zero_operand)) +
                     double(c.lane_multiplies - observed) * table_.energy_pj("lane_multiply", multiplier_variant(), v));
  b.emplace_back("adder_trees", c.adder_tree_adds * table_.energy_pj("adder_tree_add", tree_variant(), v));
  b.emplace_back("scale_units", c.scale_unit_ops * table_.energy_pj("scale_unit_op", scale_variant(), v));
  b.emplace_back("accumulators",
                 c.accumulator_updates * acc_scale * table_.energy_pj("accumulate", accumulator_variant(), v));
  double ecc_pj = 0, sram_leak_uw = 0, ecc_leak_uw = 0;
  for (int i = 0; i < kBankCount; ++i) {
    const SramBankConfig& bank = bank_config(a, static_cast<BankId>(i));
    const auto [ecc_row, word_scale] = ecc_variant(bank.word_bits);
    const std::vector<SramPart> parts = sram_parts(*sram_, a, static_cast<BankId>(i));
    b.emplace_back("sram_" + std::string(kBankNames[i]),
                   c.banks[i].read_words * sram_read_pj(parts) + c.banks[i].write_words * sram_write_pj(parts));
    ecc_pj += word_scale * (c.banks[i].ecc_encodes * table_.energy_pj("ecc_encode", ecc_row, v) +
                            c.banks[i].ecc_decodes * table_.energy_pj("ecc_decode", ecc_row, v));
    sram_leak_uw += sram_leakage_uw(parts);
    if (protected_fraction(a, static_cast<BankId>(i)) > 0)  // the bank has an encoder and a decoder
      ecc_leak_uw += word_scale * (table_.leakage_uw("ecc_encode", ecc_row, v) +
                                   table_.leakage_uw("ecc_decode", ecc_row, v));
  }
  b.emplace_back("ecc", ecc_pj);
  b.emplace_back("lut_storage", static_cast<double>(c.lane_multiplies) * lut_.lookups_per_product * lut_.read_pj +
                                    static_cast<double>(c.lut_words_written) * lut_.write_pj);
  b.emplace_back("offchip", static_cast<double>(c.offchip_bits) * a.offchip.energy_pj_per_bit);
  const int64_t engines = int64_t{a.array.rows} * a.array.cols, lanes = engines * a.array.lanes;
  const double logic_leak_uw = lanes * table_.leakage_uw("lane_multiply", multiplier_variant(), v) +
                               engines * (a.array.lanes - 1) * table_.leakage_uw("adder_tree_add", tree_variant(), v) +
                               engines * table_.leakage_uw("scale_unit_op", scale_variant(), v) +
                               engines * acc_scale * table_.leakage_uw("accumulate", accumulator_variant(), v) +
                               table_.leakage_uw("controller", "-", v) + ecc_leak_uw;
  const double seconds = static_cast<double>(c.cycles) / (a.clock_mhz * 1e6);
  b.emplace_back("leakage_logic", logic_leak_uw * 1e-6 * seconds * 1e12);  // uW x s -> pJ
  b.emplace_back("leakage_sram", sram_leak_uw * 1e-6 * seconds * 1e12);
  b.emplace_back("leakage_lut_storage", lut_.leakage_uw * 1e-6 * seconds * 1e12);
  return b;
}

double EnergyModel::bank_leakage_uw(BankId id) const {
  return sram_leakage_uw(sram_parts(*sram_, config_.arch, id));
}

// The datapath area from Yosys (rtl_models/synth/results.csv) when it has this engine configuration: lanes and scale
// unit and accumulator from their own rows; adder tree (with the engine's registers) = engine - those parts.
static bool synth_datapath_area(const SynthArea& s, const ArchSpec& a, Breakdown& b) {
  const ArraySpec& x = a.array;
  const lut::StyleChoice style = lut::parse_multiplier_style(x.multiplier);
  const lut::WeightFormat wf = lut::weight_format_of(x.weight_format);
  const std::string fmt(lut::weight_format_info(wf).name);
  const bool fixed = x.accumulator.kind == AccumPolicy::Kind::Fixed;
  if (fixed && !(x.accumulator.width == 32 && x.accumulator.frac == 16)) return false;
  const auto engine = s.area_um2("engine_L" + std::to_string(x.lanes) + "_" + fmt + "_" + style.synth_key() +
                                 (fixed ? "_fixed32" : "_fp32"));
  const auto lane = s.area_um2(style.synth_lane_config(wf));
  const auto scale = s.area_um2("scale_unit");
  const auto acc = s.area_um2(fixed ? "acc_fixed_32_16" : "fp32_adder");
  if (!engine || !lane || !scale || !acc) return false;
  const double engines = double(x.rows) * x.cols;
  b.emplace_back("lane_multipliers", engines * x.lanes * *lane);
  b.emplace_back("adder_trees", engines * std::max(0.0, *engine - x.lanes * *lane - *scale - *acc));
  b.emplace_back("scale_units", engines * *scale);
  b.emplace_back("accumulators", engines * *acc);
  return true;
}

Breakdown EnergyModel::area_um2() const {
  const ArchSpec& a = config_.arch;
  const int64_t engines = int64_t{a.array.rows} * a.array.cols, lanes = engines * a.array.lanes;
  const bool fixed = a.array.accumulator.kind == AccumPolicy::Kind::Fixed;
  const double acc_scale = fixed ? a.array.accumulator.width / 32.0 : 1.0;
  Breakdown b;
  const auto synth = SynthArea::load(a.synthesis_results);
  if (synth && synth_datapath_area(*synth, a, b)) {
    area_source_ = "datapath: Yosys results " + synth->path() + "; SRAM, ECC, controller: technology table " +
                   table_.path();
  } else {
    area_source_ = "technology table " + table_.path();
    b.emplace_back("lane_multipliers", lanes * table_.area_um2("lane_multiply", multiplier_variant()));
    b.emplace_back("adder_trees", engines * (a.array.lanes - 1) * table_.area_um2("adder_tree_add", tree_variant()));
    b.emplace_back("scale_units", engines * table_.area_um2("scale_unit_op", scale_variant()));
    b.emplace_back("accumulators", engines * acc_scale * table_.area_um2("accumulate", accumulator_variant()));
  }
  const double cell = table_.area_um2("sram_bitcell", "6t");
  double ecc_area = 0;
  for (int i = 0; i < kBankCount; ++i) {
    const SramBankConfig& bank = bank_config(a, static_cast<BankId>(i));
    const ecc::StorageFootprint f = bank_footprint(a, static_cast<BankId>(i));
    if (f.check_bits > 0) {
      const auto [ecc_row, word_scale] = ecc_variant(bank.word_bits);
      ecc_area += word_scale * (table_.area_um2("ecc_encode", ecc_row) + table_.area_um2("ecc_decode", ecc_row));
    }
    // Macro models give the tiled area; literature models have none: stored bits x the table's bit-cell area.
    double tiled = 0;
    for (const SramPart& p : sram_parts(*sram_, a, static_cast<BankId>(i))) tiled += std::max(0.0, p.cost.area_um2);
    b.emplace_back("sram_" + std::string(kBankNames[i]),
                   tiled > 0 ? tiled : static_cast<double>(f.data_bits + f.check_bits) * cell);
  }
  b.emplace_back("ecc", ecc_area);
  b.emplace_back("lut_storage", lut_.area_um2);
  b.emplace_back("controller", table_.area_um2("controller", "-"));
  return b;
}

}  // namespace nvfp4::sim
